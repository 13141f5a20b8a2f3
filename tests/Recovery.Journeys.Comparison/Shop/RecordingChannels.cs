
namespace Recovery.Journeys.Comparison.Shop;

/// <summary>
/// The channels of every run: each send is stamped with the real time and appended to the log, then returns. With
/// <paramref name="hangs"/>, a send to a recipient (push token or e-mail address) it selects is recorded and then never
/// completes, as a provider whose connection went quiet (the hung-channel fault); with <paramref name="stallAfter"/>,
/// every send after that many does (the SIGKILL fault, so that the kill lands mid-run with sends in flight).
/// </summary>
public sealed class RecordingChannels(ISendLog log, string worker, Func<string, bool>? hangs = null, int? stallAfter = null) : IShopChannels
{
    private static readonly Task Never = new TaskCompletionSource().Task;
    private int _sends;

    public Task PushAsync(string orderId, string step, string pushToken, string deepLink, string body, CancellationToken cancellationToken) =>
        RecordAsync(orderId, step, pushToken, cancellationToken);

    public Task EmailAsync(string orderId, string step, string to, string subject, string htmlBody, CancellationToken cancellationToken) =>
        RecordAsync(orderId, step, to, cancellationToken);

    private async Task RecordAsync(string orderId, string step, string recipient, CancellationToken cancellationToken)
    {
        await log.AppendAsync(new SendRecord(orderId, step, TimeProvider.System.GetUtcNow(), worker), cancellationToken).ConfigureAwait(false);
        if (hangs?.Invoke(recipient) == true || Interlocked.Increment(ref _sends) > stallAfter)
        {
            // Ignores cancellation too: a provider that hangs does not honour it either.
            await Never.ConfigureAwait(false);
        }
    }
}
