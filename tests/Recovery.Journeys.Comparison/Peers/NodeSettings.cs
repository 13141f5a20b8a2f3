using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.Peers;

/// <summary>What every node is made of for a run.</summary>
/// <param name="Store">Where the framework keeps its work.</param>
/// <param name="Channels">The shop's channels (recording, maybe hanging).</param>
/// <param name="Orders">The shop's orders table.</param>
/// <param name="Tuned">The framework's polling tuned as its docs allow, rather than its defaults.</param>
/// <param name="Name">The node's name (a worker process's, in the fault runs).</param>
/// <param name="PublishOnly">A node that only publishes: Wolverine's durability agent off, so it releases no timeout.</param>
public sealed record NodeSettings(Store Store, IShopChannels Channels, IOrderBook Orders, bool Tuned, string Name, bool PublishOnly = false);
