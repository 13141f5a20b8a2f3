using Recovery.Journeys.Comparison.Peers;
using Recovery.Journeys.Comparison.Shop;

S1Timing.Use(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
var log = new MemorySendLog();
var schema = $"cmp_probe_{Guid.NewGuid():N}";
var orders = new NullOrders();
await using (var node = await WolverineNode.StartAsync(new NodeSettings(new Store("postgresql", schema), new RecordingChannels(log, "w1"), orders, false, "probe")))
{
    for (var i = 0; i < 10; i++)
    {
        await node.AbandonAsync(new CheckoutAbandoned($"o{i}", new Shopper("s", "N", "e@x", "t"), [new BasketItem("a", "b")], DateTimeOffset.UtcNow, 45));
    }
    await node.PayAsync(new OrderPaid("o0", 1m));
    await log.WhenCountAsync(27).WaitAsync(TimeSpan.FromSeconds(60));
    Console.WriteLine($"sent {log.Count}");
}
await Recovery.Journeys.TestSupport.TestPostgres.DropSchemaAsync(schema);

sealed class NullOrders : IOrderBook
{
    public Task CreateAsync(string orderId, CancellationToken cancellationToken) => Task.CompletedTask;
    public Task MarkPaidAsync(string orderId, CancellationToken cancellationToken) => Task.CompletedTask;
    public Task<bool> IsPaidAsync(string orderId, CancellationToken cancellationToken) => Task.FromResult(false);
}
