using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MimeKit;

namespace Recovery.Journeys.Smtp.Tests.Fixtures;

/// <summary>
/// A real SMTP server (Debian's aiosmtpd, driven by <c>Server/smtp_test_server.py</c>) on 127.0.0.1 and a port the
/// OS picks. It stores each message it accepts as a file, which the tests parse with MimeKit. Recipients whose local
/// part starts with <c>reject</c> get 550 and <c>busy</c> get 450; logging in is optional but only
/// <see cref="Login"/> / <see cref="Password"/> are accepted.
/// </summary>
public sealed class SmtpTestServer : IAsyncLifetime
{
    public const string Login = "shop";
    public const string Password = "s3cret-pässword";

    // Debian's Python has the module; the python3 first on PATH may be another one. Overridable for other machines.
    private static readonly string Python = Environment.GetEnvironmentVariable("RECOVERY_JOURNEYS_PYTHON") ?? "/usr/bin/python3";

    // Only a guard against a server that never starts: the fixture waits for its "ready" line, not for time.
    private static readonly TimeSpan StartGuard = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _stderr = new();
    private Process? _process;

    public int Port { get; private set; }

    public string Folder { get; } = Directory.CreateTempSubdirectory("recovery-journeys-smtp-").FullName;

    public async Task InitializeAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Server", "smtp_test_server.py");
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { "-u", script, "--folder", Folder, "--login", $"{Login}:{Password}" },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {Python} for the SMTP test server; run eng/test-services.sh first.", e);
        }

        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();

        var ready = await _process.StandardOutput.ReadLineAsync().WaitAsync(StartGuard);
        if (ready is null || !ready.StartsWith("ready ", StringComparison.Ordinal))
        {
            await _process.WaitForExitAsync().WaitAsync(StartGuard);
            throw new InvalidOperationException(
                $"The SMTP test server did not start (is python3-aiosmtpd installed? run eng/test-services.sh). It said: {ready}\n{Stderr()}");
        }

        Port = int.Parse(ready["ready ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Options for a channel that sends to this server, without logging in.</summary>
    public SmtpEmailOptions Options() => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        FromAddress = "boutique@shop.example",
        FromDisplayName = "Boutique Élégance",
    };

    /// <summary>Every message the server has accepted so far, oldest first.</summary>
    public IReadOnlyList<ReceivedEmail> Received() =>
        [.. Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(ReceivedEmail.Load)];

    /// <summary>The messages the server accepted for one idempotency key, oldest first.</summary>
    public IReadOnlyList<ReceivedEmail> ReceivedFor(string idempotencyKey) =>
        [.. Received().Where(r => r.Message.Headers[SmtpEmailChannel.IdempotencyKeyHeader] == idempotencyKey)];

    private string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }
}

/// <summary>A message as the server received it: the raw bytes parsed by MimeKit, and the SMTP envelope.</summary>
public sealed record ReceivedEmail(MimeMessage Message, string Raw, string MailFrom, IReadOnlyList<string> RcptTos, string? Login)
{
    /// <summary>The text/plain part's bytes as sent, decoded as UTF-8 (MimeKit's <c>TextBody</c> turns CRLF into LF).</summary>
    public string? Text => Decoded("text/plain");

    /// <summary>The text/html part's bytes as sent, decoded as UTF-8.</summary>
    public string? Html => Decoded("text/html");

    public static ReceivedEmail Load(string emlPath)
    {
        var raw = File.ReadAllBytes(emlPath);
        using var envelope = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(emlPath, ".json")));
        var root = envelope.RootElement;
        using var stream = new MemoryStream(raw);
        return new ReceivedEmail(
            MimeMessage.Load(stream),
            Encoding.UTF8.GetString(raw),
            root.GetProperty("mail_from").GetString()!,
            [.. root.GetProperty("rcpt_tos").EnumerateArray().Select(e => e.GetString()!)],
            root.GetProperty("login").GetString());
    }

    private string? Decoded(string mimeType)
    {
        var part = Message.BodyParts.OfType<TextPart>().SingleOrDefault(p => p.ContentType.IsMimeType(mimeType.Split('/')[0], mimeType.Split('/')[1]));
        if (part is null)
        {
            return null;
        }

        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}

[CollectionDefinition(Name)]
public sealed class SmtpServerCollection : ICollectionFixture<SmtpTestServer>
{
    public const string Name = "SMTP server";
}
