using CheckoutRecovery.Simulation;
using Recovery.Journeys.Channels;

namespace CheckoutRecovery.Scenarios;

/// <summary>What the shop's CRM and ad platform hold after a run, replayed from the updates their channels received.</summary>
public static class ShopSide
{
    /// <summary>A line on a CRM list: how many adds and removals it got, and how many customers are still on it.</summary>
    /// <param name="shop">The run's shop.</param>
    /// <param name="list">The list's name.</param>
    public static string CrmList(SimulatedShop shop, string list)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var updates = shop.Outbox<CrmListUpdate>().Sent
            .Where(e => e.Delivery.Message.List == list)
            .Select(e => (e.Delivery.Recipient.Id, e.Delivery.Message.Change));
        return Line($"CRM list '{list}'", updates);
    }

    /// <summary>A line on an ad audience: how many adds and removals it got, and how many customers are still in it.</summary>
    /// <param name="shop">The run's shop.</param>
    /// <param name="audience">The audience's name.</param>
    public static string Audience(SimulatedShop shop, string audience)
    {
        ArgumentNullException.ThrowIfNull(shop);
        var updates = shop.Outbox<AudienceUpdate>().Sent
            .Where(e => e.Delivery.Message.Audience == audience)
            .Select(e => (e.Delivery.Recipient.Id, e.Delivery.Message.Change));
        return Line($"ad audience '{audience}'", updates);
    }

    private static string Line(string what, IEnumerable<(string CustomerId, MembershipChange Change)> updates)
    {
        var members = new HashSet<string>(StringComparer.Ordinal);
        int added = 0, removed = 0;
        foreach (var (customerId, change) in updates)
        {
            if (change == MembershipChange.Add)
            {
                added++;
                members.Add(customerId);
            }
            else
            {
                removed++;
                members.Remove(customerId);
            }
        }

        return $"{what}: {added} added, {removed} removed, {members.Count} still on it";
    }
}
