using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Recovery.Journeys.Webhooks;

/// <summary>
/// Signs webhook calls and checks their signatures. The <see cref="WebhookChannel.SignatureHeader"/> header reads
/// <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where the hex is the lowercase HMAC-SHA256, keyed with the UTF-8 bytes of
/// the shared secret, of the timestamp's digits, a <c>.</c>, and the request body's bytes, exactly as sent.
/// </summary>
/// <remarks>
/// <para>
/// A receiver checks a call with <see cref="Verify(string, string?, ReadOnlySpan{byte}, DateTimeOffset, TimeSpan)"/>
/// over the raw body bytes it read, before parsing them, and rejects calls whose timestamp is too far from its own
/// clock (a replayed call). Several <c>v1</c> entries may be present (while a secret is being rotated); one match
/// is enough. Entries of other schemes are ignored.
/// </para>
/// <para>Thread-safe: every method is pure.</para>
/// </remarks>
public static class WebhookSignature
{
    /// <summary>The signature scheme this version writes and reads.</summary>
    public const string Scheme = "v1";

    /// <summary>The tolerance receivers should use unless they have a reason to differ: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The shortest secret, in characters, that signs or checks calls: 16. The channel refuses a shorter one when it is
    /// configured, and so do <see cref="Compute(string, DateTimeOffset, ReadOnlySpan{byte})"/> and the checks.
    /// </summary>
    public const int MinSecretLength = 16;

    /// <summary>Computes the signature header for a body sent at <paramref name="timestamp"/>.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="timestamp">When the call is sent; written in whole Unix seconds.</param>
    /// <param name="body">The request body's bytes, exactly as sent.</param>
    /// <returns>The header's value, <c>t=1767603600,v1=5257a869...</c>.</returns>
    public static string Compute(string secret, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        RequireSecret(secret);
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        #if NET9_0_OR_GREATER
        return $"t={t},{Scheme}={Convert.ToHexStringLower(Mac(secret, t, body))}";
#else
        return $"t={t},{Scheme}={string.Concat(Mac(secret, t, body).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)))}";
#endif
    }

    /// <summary>Checks a signature header against a body, its timestamp against <paramref name="now"/>.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="header">The <see cref="WebhookChannel.SignatureHeader"/> header's value as received; <see langword="null"/> when absent.</param>
    /// <param name="body">The request body's bytes as received, before any parsing.</param>
    /// <param name="now">The receiver's current time (from its own clock or <see cref="TimeProvider"/>).</param>
    /// <param name="tolerance">How far the signed timestamp may be from <paramref name="now"/>, either way; <see cref="DefaultTolerance"/> is a good choice.</param>
    /// <returns>
    /// <see langword="true"/> when the header is well formed, its timestamp is within <paramref name="tolerance"/> of
    /// <paramref name="now"/>, and one of its <c>v1</c> signatures matches; <see langword="false"/> otherwise.
    /// </returns>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        RequireSecret(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        string? t = null;
        var signatures = new List<byte[]>();
        foreach (var entry in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            var (key, value) = (entry[..equals], entry[(equals + 1)..]);
            if (key == "t")
            {
                if (t is not null)
                {
                    return false;
                }

                t = value;
            }
            else if (key == Scheme && value.Length == 64 && value.All(char.IsAsciiHexDigit))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }

        if (t is null || signatures.Count == 0 || !t.All(char.IsAsciiDigit)
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        // The timestamp is signed as it was written, so the receiver hashes the digits it received.
        var expected = Mac(secret, t, body);
        var match = false;
        foreach (var signature in signatures)
        {
            // Every candidate is compared, in constant time, so timing tells nothing about which one matched.
            match |= CryptographicOperations.FixedTimeEquals(expected, signature);
        }

        return match;
    }

    /// <summary>Checks a signature header against a body given as text, sent as UTF-8.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="header">The signature header's value as received; <see langword="null"/> when absent.</param>
    /// <param name="body">The request body; prefer the bytes overload, which checks exactly what was received.</param>
    /// <param name="now">The receiver's current time.</param>
    /// <param name="tolerance">How far the signed timestamp may be from <paramref name="now"/>, either way.</param>
    /// <returns>Whether the signature is valid, as the bytes overload says.</returns>
    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Verify(secret, header, Encoding.UTF8.GetBytes(body), now, tolerance);
    }

    private static void RequireSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (secret.Length < MinSecretLength)
        {
            throw new ArgumentException($"A webhook secret must have at least {MinSecretLength} characters; this one has {secret.Length}.", nameof(secret));
        }
    }

    private static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
