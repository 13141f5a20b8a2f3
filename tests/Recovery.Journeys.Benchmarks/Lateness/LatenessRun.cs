using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Benchmarks.Lateness;

/// <summary>
/// The real-time run of docs/performance.md: the hosted worker (<c>AddRecoveryJourneys</c>: in-memory store, in-process
/// scheduler, real clock) with steps falling due at a steady rate; reports how late each send was (send time minus
/// due time), as percentiles, and whether any was early, was sent twice or, for the slow channel, never completed.
/// </summary>
/// <remarks>
/// The shop publishes <c>--rate</c> checkouts a second for <c>--seconds</c>, each starting a journey whose one step,
/// the S1 first push (templated), is due 2 s after its start: so steps fall due at the same steady rate. With
/// <c>--slow-channel</c>, it also publishes <c>--slow-rate</c> checkouts a second of a second journey whose one e-mail,
/// due 2 s after its start, goes through a channel that takes <c>--slow-call-ms</c> (awaiting, not blocking a thread),
/// so that rate × call duration slow sends are always in flight beside the fast ones. The channels stamp the real time
/// when they are called. The steps of the checkouts published in the first 2 s of the run (the runtime warming up)
/// are left out of the percentiles, not of the checks.
/// </remarks>
public static class LatenessRun
{
    private static readonly Duration DueAfter = Duration.FromSeconds(2);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = LatenessOptions.Parse(args);
        var eventsPath = Recovery.Journeys.Benchmarks.Durable.DurableRun.OptionText(args, "--gc-events");
        using var events = eventsPath is null ? null : new GcEventLog(args.Contains("--gc-events-verbose"));
        var result = await MeasureAsync(options).ConfigureAwait(false);
        if (eventsPath is not null)
        {
            events!.WriteTo(eventsPath);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lateness: {result.Sent:N0} fast sends at {options.Rate:N0} due steps/s for {options.Seconds} s; {result.Fast.Count:N0} after the warm-up; MaxConcurrentSteps {options.MaxConcurrentSteps?.ToString(CultureInfo.InvariantCulture) ?? $"{new JourneyEngineOptions().MaxConcurrentSteps} (default)"}"));
        Console.WriteLine($"  send time - due time: {result.Fast}");
        if (options.SlowRate > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  slow channel: {options.SlowRate} sends/s of {options.SlowCall.TotalMilliseconds:F0} ms each ({options.SlowRate * options.SlowCall.TotalSeconds:F0} in flight); {result.SlowStarted:N0} started, {result.SlowCompleted:N0} completed of {result.SlowPublished:N0}"));
            Console.WriteLine($"  slow call time - due time: {result.Slow}");
        }

        Console.WriteLine($"  {(result.Early == 0 ? "never early" : $"EARLY {result.Early} times")}; {(result.Repeated + result.SlowRepeated == 0 ? "nothing sent twice" : $"SENT TWICE {result.Repeated} fast, {result.SlowRepeated} slow")}; {(result.Correct ? "every step sent once" : $"WRONG: {result.Check}")}");
        Console.WriteLine($"  {result.Runtime}");
        Console.WriteLine(result.Gc);
        Console.WriteLine($"  {result.Load}");
        return result.Correct ? 0 : 1;
    }

    /// <summary>The run without a slow channel, as before (the CI smoke run of the fast path).</summary>
    public static Task<LatenessResult> MeasureAsync(int rate, int seconds) =>
        MeasureAsync(new LatenessOptions(rate, seconds, SlowRate: 0, TimeSpan.Zero, MaxConcurrentSteps: null));

    public static async Task<LatenessResult> MeasureAsync(LatenessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var pauses = new GcPauseRecorder();
        var latencyMode = System.Runtime.GCSettings.LatencyMode;
        if (options.LatencyMode is { } mode)
        {
            System.Runtime.GCSettings.LatencyMode = mode;
        }

        var fastChannel = new TimedChannel<PushMessage>(TimeSpan.Zero, options.Rate * options.Seconds);
        var slowChannel = new TimedChannel<EmailMessage>(options.SlowCall, options.SlowRate * options.Seconds);
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddRecoveryJourneys(recovery =>
        {
            recovery.AddJourney(FastJourney()).AddChannel<PushMessage>(fastChannel);
            if (options.SlowRate > 0)
            {
                recovery.AddJourney(SlowJourney()).AddChannel<EmailMessage>(slowChannel);
            }

            if (options.MaxConcurrentSteps is { } max)
            {
                recovery.ConfigureEngine(o => o.MaxConcurrentSteps = max);
            }
        });
        using var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        var engine = host.Services.GetRequiredService<JourneyEngine>();
        var customers = CheckoutJourney.Customers();
        var total = options.Rate * options.Seconds;
        var slowTotal = options.SlowRate * options.Seconds;
        var load = MachineLoad.Start();
        var gc = (Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2), Pause: GC.GetTotalPauseDuration(), Allocated: GC.GetTotalAllocatedBytes());
        var runStart = TimeProvider.System.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var published = 0;
        var slowPublished = 0;

        // The checkouts arrive at the real rate, as a shop's would: each millisecond's tick publishes those now due.
        using (var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(1)))
        {
            while ((published < total || slowPublished < slowTotal) && await tick.WaitForNextTickAsync().ConfigureAwait(false))
            {
                var elapsed = watch.Elapsed.TotalSeconds;
                var due = Math.Min(total, (int)(elapsed * options.Rate));
                var slowDue = Math.Min(slowTotal, (int)(elapsed * options.SlowRate));
                while (published < due)
                {
                    await engine.PublishAsync(CheckoutJourney.NewCheckout(published, customers)).ConfigureAwait(false);
                    published++;
                }

                while (slowPublished < slowDue)
                {
                    await engine.PublishAsync(SlowCheckout(slowPublished, customers)).ConfigureAwait(false);
                    slowPublished++;
                }
            }
        }

        try
        {
            var deadline = TimeSpan.FromSeconds(30) + options.SlowCall;
            await Task.WhenAll(fastChannel.AllDone(total), slowChannel.AllDone(slowTotal)).WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported below: the result says how many of the sends arrived and completed.
        }

        var loadLine = load.Describe();
        var runtime = string.Create(
            CultureInfo.InvariantCulture,
            $"runtime: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {System.Runtime.GCSettings.LatencyMode} ({(System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch ? "not concurrent" : "concurrent")}), heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:F0} MiB; GC gen0 {GC.CollectionCount(0) - gc.Gen0}, gen1 {GC.CollectionCount(1) - gc.Gen1}, gen2 {GC.CollectionCount(2) - gc.Gen2}, paused {(GC.GetTotalPauseDuration() - gc.Pause).TotalMilliseconds:F0} ms; allocated {(GC.GetTotalAllocatedBytes() - gc.Allocated) / (double)Math.Max(1, total + slowTotal):F0} bytes a checkout (its start and step); thread pool {ThreadPool.ThreadCount} threads");
        await host.StopAsync().ConfigureAwait(false);
        System.Runtime.GCSettings.LatencyMode = latencyMode;

        var warmUpEnd = Instant.FromDateTimeOffset(runStart) + DueAfter + DueAfter;
        var sends = fastChannel.Sends.ToArray();
        var slowSends = slowChannel.Sends.ToArray();
        var measured = sends.Where(s => s.DueAt >= warmUpEnd).ToArray();
        var fast = Lateness(measured);
        return new LatenessResult(
            total,
            sends.Length,
            fastChannel.Repeated,
            fast,
            sends.Concat(slowSends).Count(s => s.SentAt < s.DueAt),
            slowTotal,
            slowChannel.Started,
            slowChannel.Completed,
            slowChannel.Repeated,
            Lateness(slowSends.Where(s => s.DueAt >= warmUpEnd)),
            loadLine,
            runtime,
            GcLatenessShare.Of(measured, pauses.Pauses, fast.P99));
    }

    private static LatenessPercentiles Lateness(IEnumerable<TimedSend> sends) =>
        LatenessPercentiles.Of(sends.Select(s => (s.SentAt - s.DueAt).TotalMilliseconds));

    private static JourneyDefinition FastJourney() =>
        Journey.When<Checkout>(e => e.SecondsOnPaymentPage > 30 && e.Total < 100)
            .Named("checkout-recovery-realtime")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<Paid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .Compute("minutesLeft", c => (int)(c.StartedAt + 20.Minutes() - c.Now).TotalMinutes)
            .AfterStart(DueAfter).Push("push-reminder", p => p.Icon("⏳").DeepLink(CheckoutJourney.PushDeepLink).Body(CheckoutJourney.PushBody))
            .Build();

    /// <summary>The journey of the slow channel: large baskets get an e-mail through a provider that takes seconds.</summary>
    private static JourneyDefinition SlowJourney() =>
        Journey.When<Checkout>(e => e.Total >= 100)
            .Named("large-basket-recovery")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<Paid>(e => e.OrderId, exit => exit.WithValue(e => e.Amount))
            .AfterStart(DueAfter).Email("email-reminder", m => m.Subject(CheckoutJourney.EmailSubject).HtmlBody(CheckoutJourney.EmailHtmlBody))
            .Build();

    private static Checkout SlowCheckout(int i, Customer[] customers) =>
        new($"large-order-{i}", customers[i % customers.Length], 149.90m, 45);
}
