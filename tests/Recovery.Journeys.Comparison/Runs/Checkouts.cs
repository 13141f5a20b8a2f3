using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.Runs;

/// <summary>The checkouts every run publishes: order i, its own shopper, two basket items, 45 s on the payment page.</summary>
public static class Checkouts
{
    private static readonly BasketItem[] Items =
    [
        new("Sneakers", "https://cdn.example.com/p/sneakers.jpg"),
        new("Socks", "https://cdn.example.com/p/socks.jpg"),
    ];

    /// <summary>The i-th checkout of a run; a "hung" one's push token and e-mail address reach a provider that never answers.</summary>
    public static CheckoutAbandoned New(string run, int i, DateTimeOffset abandonedAt, bool hung = false)
    {
        var host = hung ? "hung.example" : "example.com";
        return new CheckoutAbandoned($"{run}-order-{i}", new Shopper($"{run}-customer-{i}", $"Client {i}", $"c{i}@{host}", $"token-{i}@{host}"), Items, abandonedAt, 45);
    }

    /// <summary>True for a recipient of a hung checkout.</summary>
    public static bool IsHung(string recipient) => recipient.EndsWith("@hung.example", StringComparison.Ordinal);
}
