using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Recovery.Journeys.Webhooks.Tests.Fixtures;

/// <summary>
/// A real HTTP endpoint (<see cref="HttpListener"/> on 127.0.0.1 and a free port) that records every request and
/// answers by path: <c>/status/{code}</c> answers that code (with a <c>Location</c> for 3xx), <c>/hold</c> never
/// answers until the receiver is disposed, anything else answers 204.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentBag<HttpListenerContext> _held = [];
    private readonly SemaphoreSlim _arrived = new(0);

    public WebhookReceiver()
    {
        (_listener, Port) = Listen();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public string Url(string pathAndQuery) => $"http://127.0.0.1:{Port}{pathAndQuery}";

    /// <summary>The requests whose <c>Idempotency-Key</c> is <paramref name="key"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> RequestsFor(string key) => [.. _requests.Where(r => r.Header(WebhookChannel.IdempotencyKeyHeader) == key)];

    /// <summary>Waits until one more request than already awaited has arrived (a guard, not a sleep: it returns on arrival).</summary>
    public async Task WaitForRequestAsync()
    {
        if (!await _arrived.WaitAsync(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("No request reached the receiver.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _held)
        {
            context.Response.Abort();
        }

        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }

        _arrived.Dispose();
    }

    private static (HttpListener Listener, int Port) Listen()
    {
        // HttpListener cannot bind port 0: take a port the OS says is free, and try again if someone took it meanwhile.
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var headers = request.Headers.AllKeys.ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new ReceivedRequest(request.HttpMethod, request.Url!.PathAndQuery, headers, body.ToArray()));
        _arrived.Release();

        var path = request.Url.AbsolutePath;
        if (path == "/hold")
        {
            _held.Add(context);
            return;
        }

        var status = path.StartsWith("/status/", StringComparison.Ordinal) ? int.Parse(path["/status/".Length..], CultureInfo.InvariantCulture) : 204;
        context.Response.StatusCode = status;
        if (status is >= 300 and < 400)
        {
            context.Response.RedirectLocation = Url("/moved");
        }

        context.Response.Close();
    }
}

public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string BodyText => Encoding.UTF8.GetString(Body);
}
