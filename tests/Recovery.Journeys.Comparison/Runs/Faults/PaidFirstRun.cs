using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.Runs.Faults;

/// <summary>
/// <c>paid-first [library] [hangfire] [wolverine] [--orders 50] [--tuned]</c>: the payment arrives before the
/// abandonment (events out of order, or a customer who paid in another tab), and the reminders sent to paid orders.
/// </summary>
/// <remarks>
/// For each order the shop pays (as it would with that framework) and then publishes the abandonment; the reminders are
/// due 1, 2 and 3 s later. The run waits until 3 s plus 10 s have passed after the last abandonment (polling tuned, so
/// every framework has sent what it will), and counts the sends: each is a reminder to a paid order.
/// </remarks>
public static class PaidFirstRun
{
    public sealed record Result(string Framework, int Orders, int SentToPaidOrders, int OrdersReminded);

    public static async Task<int> RunAsync(string[] args)
    {
        var orders = Args.Int(args, "--orders", 50);
        foreach (var framework in Args.Frameworks(args))
        {
            var r = await MeasureAsync(framework, orders, tuned: true).ConfigureAwait(false);
            Console.WriteLine($"{framework}: {r.Orders} orders paid before their abandonment: {r.SentToPaidOrders} reminders sent to paid orders ({r.OrdersReminded} orders reminded)");
        }

        return 0;
    }

    public static async Task<Result> MeasureAsync(string framework, int orders, bool tuned, TimeSpan? settle = null)
    {
        KillRun.UseDelays();
        try
        {
            await using var environment = await RunEnvironment.CreateAsync(framework, "postgresql").ConfigureAwait(false);
            var log = new MemorySendLog();
            await using var node = await environment.NodeAsync(framework, new RecordingChannels(log, "worker"), tuned, "worker").ConfigureAwait(false);
            await node.StartProcessingAsync().ConfigureAwait(false);
            for (var i = 0; i < orders; i++)
            {
                var checkout = Checkouts.New("paid-first", i, TimeProvider.System.GetUtcNow());
                await node.PayAsync(new OrderPaid(checkout.OrderId, 49.90m)).ConfigureAwait(false);
                await node.AbandonAsync(checkout).ConfigureAwait(false);
            }

            // Real time is the point: what each framework sends once the reminders are well past due.
            await Task.Delay(S1Timing.ExtraOffer + (settle ?? TimeSpan.FromSeconds(10))).ConfigureAwait(false);
            var sends = await log.ReadAllAsync().ConfigureAwait(false);
            return new Result(framework, orders, sends.Count, sends.Select(s => node.OrderIdOf(s.OrderId)).Distinct().Count());
        }
        finally
        {
            S1Timing.Reset();
        }
    }
}
