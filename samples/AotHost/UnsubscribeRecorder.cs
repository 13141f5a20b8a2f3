using Recovery.Journeys.AspNetCore.Unsubscribe;

namespace AotHost;

/// <summary>Keeps the unsubscriptions the endpoint reports, for the host to check.</summary>
internal sealed class UnsubscribeRecorder : IUnsubscribeHandler
{
    private readonly List<Unsubscription> _received = [];

    /// <summary>What the endpoint reported, in order.</summary>
    public IReadOnlyList<Unsubscription> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public ValueTask UnsubscribeAsync(Unsubscription unsubscription, CancellationToken cancellationToken)
    {
        lock (_received)
        {
            _received.Add(unsubscription);
        }

        Console.WriteLine($"unsubscribed: {unsubscription.CustomerId} from {unsubscription.Channel} (one-click: {unsubscription.OneClick})");
        return ValueTask.CompletedTask;
    }
}
