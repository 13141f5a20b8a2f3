using System.Collections.Concurrent;
using System.Diagnostics;
using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.Runs.Faults;

/// <summary>
/// <c>pay-race [library] [hangfire] [wolverine] [--orders 200] [--tuned]</c>: payments racing the first reminder, and
/// the reminders sent after their order's payment was committed.
/// </summary>
/// <remarks>
/// Orders are abandoned 10 ms apart; each one's first push is due 2 s later (the e-mail and last push, 1 h and 24 h,
/// never in the run). Each order is paid at a moment drawn between 20 ms before and 120 ms after its push's due time,
/// where each framework (polling tuned to 100 ms) sends. "Committed" is when the framework's payment call returned:
/// the library's <c>PublishAsync(OrderPaid)</c>, Hangfire's update of the shop's orders table (which its jobs read),
/// Wolverine's <c>InvokeAsync(OrderPaid)</c> (the saga completed and deleted). A send that started after that moment
/// is a reminder to a customer who had already paid.
/// </remarks>
public static class PayRaceRun
{
    public sealed record Result(string Framework, int Orders, int Sent, int SentAfterPayment, int PaymentFailures, double ClosestMarginMs);

    public static async Task<int> RunAsync(string[] args)
    {
        var orders = Args.Int(args, "--orders", 200);
        foreach (var framework in Args.Frameworks(args))
        {
            var r = await MeasureAsync(framework, orders, tuned: true).ConfigureAwait(false);
            Console.WriteLine($"{framework}: {r.Orders} orders paid within -20..+120 ms of their first push's due time: {r.Sent} pushes sent, {r.SentAfterPayment} after the payment was committed; {r.PaymentFailures} payment calls failed (and were retried); closest send before a commit: {r.ClosestMarginMs:F1} ms");
        }

        return 0;
    }

    public static async Task<Result> MeasureAsync(string framework, int orders, bool tuned)
    {
        S1Timing.Use(TimeSpan.FromSeconds(2), TimeSpan.FromHours(1), TimeSpan.FromHours(24));
        try
        {
            await using var environment = await RunEnvironment.CreateAsync(framework, "postgresql").ConfigureAwait(false);
            var log = new MemorySendLog();
            await using var node = await environment.NodeAsync(framework, new RecordingChannels(log, "worker"), tuned, "worker").ConfigureAwait(false);
            await node.StartProcessingAsync().ConfigureAwait(false);
            var random = new Random(17);
            var committedAt = new ConcurrentDictionary<string, DateTimeOffset>();
            var failures = 0;
            var payments = new List<Task>();
            var watch = Stopwatch.StartNew();
            var start = TimeProvider.System.GetUtcNow();
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
            var plan = Enumerable.Range(0, orders).Select(i => (Order: i, AbandonAt: TimeSpan.FromMilliseconds(10 * i), PayAt: TimeSpan.FromMilliseconds((10 * i) + 2000 + random.Next(-20, 121)))).ToList();
            var abandoned = 0;
            var paid = 0;
            var byPayTime = plan.OrderBy(p => p.PayAt).ToList();
            while (paid < orders && await tick.WaitForNextTickAsync().ConfigureAwait(false))
            {
                var now = watch.Elapsed;
                while (abandoned < orders && plan[abandoned].AbandonAt <= now)
                {
                    // Due 2 s after the abandonment stamped here.
                    await node.AbandonAsync(Checkouts.New("race", plan[abandoned].Order, start + plan[abandoned].AbandonAt)).ConfigureAwait(false);
                    abandoned++;
                }

                while (paid < orders && byPayTime[paid].PayAt <= now)
                {
                    var orderId = Checkouts.New("race", byPayTime[paid].Order, start).OrderId;
                    payments.Add(Task.Run(async () =>
                    {
                        while (true)
                        {
                            try
                            {
                                await node.PayAsync(new OrderPaid(orderId, 49.90m)).ConfigureAwait(false);
                                committedAt[orderId] = TimeProvider.System.GetUtcNow();
                                return;
                            }
                            catch (Exception) when (Interlocked.Increment(ref failures) < 10_000)
                            {
                                // A payment the framework refused (a concurrency conflict): the shop retries it.
                            }
                        }
                    }));
                    paid++;
                }
            }

            await Task.WhenAll(payments).ConfigureAwait(false);

            // Anything still in flight lands within a few polls.
            await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            var sends = await log.ReadAllAsync().ConfigureAwait(false);
            var after = 0;
            var closest = double.PositiveInfinity;
            foreach (var send in sends)
            {
                var commit = committedAt[node.OrderIdOf(send.OrderId)];
                var margin = (commit - send.SentAt).TotalMilliseconds;
                if (margin < 0)
                {
                    after++;
                }
                else
                {
                    closest = Math.Min(closest, margin);
                }
            }

            return new Result(framework, orders, sends.Count, after, failures, closest);
        }
        finally
        {
            S1Timing.Reset();
        }
    }
}
