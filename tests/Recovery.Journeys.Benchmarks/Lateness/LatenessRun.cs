using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Recovery.Journeys.Benchmarks.Durable;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>
/// The real-time run of docs/performance.md: the hosted worker (<c>AddRecoveryJourneys</c>: in-memory store, in-process
/// scheduler, real clock) with steps falling due at a steady rate; reports how late each send was (send time minus
/// due time), as percentiles, and whether any was early.
/// </summary>
/// <remarks>
/// The shop publishes <c>--rate</c> checkouts a second (default 1,000) for <c>--seconds</c> (default 20), each starting
/// a journey whose one step, the S1 first push (templated), is due 2 s after its start: so steps fall due at the same
/// steady rate. The channel stamps the real time when it is called. The steps of the checkouts published in the first
/// 2 s of the run (the runtime warming up) are left out of the percentiles, not of the "never early" check.
/// </remarks>
public static class LatenessRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rate = DurableRun.Option(args, "--rate", 1000);
        var seconds = DurableRun.Option(args, "--seconds", 20);
        var result = await MeasureAsync(rate, seconds).ConfigureAwait(false);
        Console.WriteLine($"lateness: {result.Sent:N0} sends at {rate:N0} due steps/s for {seconds} s; {result.Measured:N0} after the warm-up");
        Console.WriteLine($"  send time - due time: p50 {result.P50:F2} ms, p90 {result.P90:F2} ms, p99 {result.P99:F2} ms, p99.9 {result.P999:F2} ms, max {result.Max:F2} ms, min {result.Min:F3} ms");
        Console.WriteLine($"  {(result.Early == 0 ? "never early" : $"EARLY {result.Early} times")}; {result.Load}");
        return result.Early == 0 && result.Sent == result.Published ? 0 : 1;
    }

    public sealed record LatenessResult(long Published, long Sent, int Measured, double P50, double P90, double P99, double P999, double Max, double Min, int Early, string Load);

    public static async Task<LatenessResult> MeasureAsync(int rate, int seconds)
    {
        var journey = Journey.When<Checkout>(e => e.SecondsOnPaymentPage > 30)
            .Named("checkout-recovery-realtime")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<Paid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Compute("minutesLeft", c => (int)(c.StartedAt + 20.Minutes() - c.Now).TotalMinutes)
            .AfterStart(Duration.FromSeconds(2)).Push("push-reminder", p => p.Icon("⏳").DeepLink(CheckoutJourney.PushDeepLink).Body(CheckoutJourney.PushBody))
            .Build();
        var channel = new StampingChannel();
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddRecoveryJourneys(recovery => recovery.AddJourney(journey).AddChannel<PushMessage>(channel));
        using var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var customers = CheckoutJourney.Customers();
        var total = rate * seconds;
        var load = MachineLoad.Start();
        var runStart = TimeProvider.System.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var published = 0;

        // The checkouts arrive at the real rate, as a shop's would: each millisecond's tick publishes those now due.
        using (var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(1)))
        {
            while (published < total && await tick.WaitForNextTickAsync().ConfigureAwait(false))
            {
                var due = Math.Min(total, (int)(watch.Elapsed.TotalSeconds * rate));
                while (published < due)
                {
                    await engine.PublishAsync(CheckoutJourney.NewCheckout(published, customers)).ConfigureAwait(false);
                    published++;
                }
            }
        }

        try
        {
            await channel.AllSent(total).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported below: the result says how many of the sends arrived.
        }

        var loadLine = load.Describe();
        await host.StopAsync().ConfigureAwait(false);

        var warmUpEnd = Instant.FromDateTimeOffset(runStart) + Duration.FromSeconds(4);
        var sends = channel.Sends.ToArray();
        var lateness = sends.Where(s => s.DueAt >= warmUpEnd).Select(s => (s.SentAt - s.DueAt).TotalMilliseconds).Order().ToArray();
        var early = sends.Count(s => s.SentAt < s.DueAt);
        return new LatenessResult(
            total,
            sends.Length,
            lateness.Length,
            Percentile(lateness, 0.50),
            Percentile(lateness, 0.90),
            Percentile(lateness, 0.99),
            Percentile(lateness, 0.999),
            lateness.Length == 0 ? double.NaN : lateness[^1],
            lateness.Length == 0 ? double.NaN : lateness[0],
            early,
            loadLine);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed record Send(Instant DueAt, Instant SentAt);

    private sealed class StampingChannel : IChannel<PushMessage>
    {
        private readonly TaskCompletionSource _allSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _expected = int.MaxValue;

        public ConcurrentQueue<Send> Sends { get; } = new();

        /// <summary>Completes once <paramref name="expected"/> sends have arrived.</summary>
        public Task AllSent(int expected)
        {
            Volatile.Write(ref _expected, expected);
            if (Sends.Count >= expected)
            {
                _allSent.TrySetResult();
            }

            return _allSent.Task;
        }

        public ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
        {
            Sends.Enqueue(new Send(delivery.DueAt, Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow())));
            if (Sends.Count >= Volatile.Read(ref _expected))
            {
                _allSent.TrySetResult();
            }

            return ValueTask.FromResult(DeliveryReceipt.Sent());
        }
    }
}
