using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.Runs.Faults;

/// <summary>
/// <c>hung [library] [hangfire] [wolverine] [--orders 200] [--hung-every 10] [--bound 30] [--tuned]</c>: a provider that
/// never answers for some customers, and how late the other customers' reminders are.
/// </summary>
/// <remarks>
/// 20 checkouts a second; each one's first push is due 2 s later. Every <c>--hung-every</c>-th customer's push goes to a
/// provider that never answers (the call never returns, cancellation ignored). The run waits up to <c>--bound</c>
/// seconds after the last push is due, then reports how many of the other customers' pushes were sent and how late:
/// "stalled" when some never were.
/// </remarks>
public static class HungChannelRun
{
    public sealed record Result(string Framework, int Others, int OthersSent, int HungCalls, double P50, double P99, double Max, bool Stalled);

    public static async Task<int> RunAsync(string[] args)
    {
        var orders = Args.Int(args, "--orders", 200);
        var every = Args.Int(args, "--hung-every", 10);
        var bound = TimeSpan.FromSeconds(Args.Int(args, "--bound", 30));
        foreach (var framework in Args.Frameworks(args))
        {
            var r = await MeasureAsync(framework, orders, every, bound, tuned: true).ConfigureAwait(false);
            Console.WriteLine($"{framework}: {r.HungCalls} calls hung; other customers' pushes: {r.OthersSent} of {r.Others} sent within {bound.TotalSeconds:F0} s of the last due time, send - due p50 {r.P50:F0} ms, p99 {r.P99:F0} ms, max {r.Max:F0} ms{(r.Stalled ? "; STALLED" : "")}");
        }

        return 0;
    }

    public static async Task<Result> MeasureAsync(string framework, int orders, int every, TimeSpan bound, bool tuned)
    {
        S1Timing.Use(TimeSpan.FromSeconds(2), TimeSpan.FromHours(1), TimeSpan.FromHours(24));
        try
        {
            await using var environment = await RunEnvironment.CreateAsync(framework, "postgresql").ConfigureAwait(false);
            var log = new MemorySendLog();
            var node = await environment.NodeAsync(framework, new RecordingChannels(log, "worker", Checkouts.IsHung), tuned, "worker").ConfigureAwait(false);
            try
            {
                await node.StartProcessingAsync().ConfigureAwait(false);
                var abandonedAt = new DateTimeOffset[orders];
                using (var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50)))
                {
                    for (var i = 0; i < orders; i++)
                    {
                        await tick.WaitForNextTickAsync().ConfigureAwait(false);
                        abandonedAt[i] = TimeProvider.System.GetUtcNow();
                        await node.AbandonAsync(Checkouts.New("hung", i, abandonedAt[i], hung: i % every == 0)).ConfigureAwait(false);
                    }
                }

                // Real time is the point: the other customers' pushes fall due while the hung calls hold on.
                var others = Enumerable.Range(0, orders).Count(i => i % every != 0);
                var deadline = abandonedAt[^1] + S1Timing.FirstPush + bound;
                while (TimeProvider.System.GetUtcNow() < deadline && CountOthers(await log.ReadAllAsync().ConfigureAwait(false), node, every) < others)
                {
                    await Task.Delay(100).ConfigureAwait(false);
                }

                var sends = await log.ReadAllAsync().ConfigureAwait(false);
                var lateness = sends.Select(s => (Index: IndexOf(node, s), s.SentAt)).Where(s => s.Index % every != 0)
                    .Select(s => (s.SentAt - (abandonedAt[s.Index] + S1Timing.FirstPush)).TotalMilliseconds).Order().ToList();
                var hung = sends.Count(s => IndexOf(node, s) % every == 0);
                return new Result(framework, others, lateness.Count, hung, Args.Percentile(lateness, 0.5), Args.Percentile(lateness, 0.99), lateness.Count == 0 ? double.NaN : lateness[^1], lateness.Count < others);
            }
            finally
            {
                // A framework may wait for its hung calls when it stops: bounded, the run is over anyway.
                await node.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
        finally
        {
            S1Timing.Reset();
        }
    }

    private static int IndexOf(Peers.IRecoveryNode node, SendRecord send) =>
        int.Parse(node.OrderIdOf(send.OrderId).Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture);

    private static int CountOthers(IReadOnlyList<SendRecord> sends, Peers.IRecoveryNode node, int every) => sends.Count(s => IndexOf(node, s) % every != 0);
}
