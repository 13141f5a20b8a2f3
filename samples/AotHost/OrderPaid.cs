namespace AotHost;

/// <summary>The shop's event: an order was paid.</summary>
/// <param name="OrderId">The order.</param>
public sealed record OrderPaid(string OrderId);
