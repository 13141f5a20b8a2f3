using System.Collections.Concurrent;
using Recovery.Journeys.AspNetCore.Unsubscribe;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Ports;

namespace ShopWeb.Channels;

/// <summary>Who unsubscribed from what: the unsubscribe endpoint writes here, the engine reads here before each message.</summary>
public sealed class ShopConsent : IConsentChecker, IUnsubscribeHandler
{
    private readonly ConcurrentDictionary<(string Customer, string Channel), Unsubscription> _optedOut = new();

    /// <summary>The unsubscriptions received since the app started.</summary>
    public IReadOnlyCollection<Unsubscription> OptedOut => [.. _optedOut.Values];

    /// <inheritdoc />
    public ValueTask<bool> MayContactAsync(Customer customer, string channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return ValueTask.FromResult(!_optedOut.ContainsKey((customer.Id, channel)));
    }

    /// <inheritdoc />
    public ValueTask UnsubscribeAsync(Unsubscription unsubscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unsubscription);
        _optedOut.TryAdd((unsubscription.CustomerId, unsubscription.Channel), unsubscription);
        return ValueTask.CompletedTask;
    }
}
