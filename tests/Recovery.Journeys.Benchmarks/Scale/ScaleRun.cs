using System.Diagnostics;
using NodaTime;
using Recovery.Journeys.Benchmarks.Shared;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Benchmarks.Scale;

/// <summary>
/// The large-scale run of docs/performance.md: N abandoned checkouts through the three-step S1 journey on the fake
/// clock, in memory, with no-op channels, a third of the customers paying midway. Prints wall time, steps per second,
/// peak memory and the bytes retained per waiting journey.
/// </summary>
public static class ScaleRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        using var sampler = args.Contains("--allocations") ? new AllocationSampler() : null;
        var journey = CheckoutJourney.Create();
        var load = MachineLoad.Start();

        var clock = new FakeClock();
        var store = new InMemoryJourneyStore();
        var channels = new NoOpChannels();
        var engine = new JourneyEngine([journey], store, new JourneyHostServices { Channels = channels }, clock, new JourneyEngineOptions { MaxConcurrentSteps = 1, BatchSize = 1000 });
        using var drive = clock.Drive(engine);

        var customers = CheckoutJourney.Customers();
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        var before = GC.GetTotalMemory(true);
        var allocatedBeforeStarts = GC.GetTotalAllocatedBytes(precise: true);
        sampler?.Recording = true;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await engine.PublishAsync(CheckoutJourney.NewCheckout(i, customers));
        }

        var published = watch.Elapsed;
        sampler?.Recording = false;
        var startAllocations = sampler?.TakeTop(25) ?? [];
        var allocatedPerStart = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBeforeStarts) / (double)count;
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        var waiting = GC.GetTotalMemory(true) - before;

        // Half an hour in, a third of the customers pay: their two later steps never run.
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var allocatedBeforeSteps = GC.GetTotalAllocatedBytes(precise: true);
        var pausedBeforeSteps = GC.GetTotalPauseDuration();
        sampler?.Recording = true;
        watch.Restart();
        await clock.AdvanceAsync(30.Minutes());

        // With --allocations, what a journey keeps after its first step (the instance, its timeline): a forced full
        // collection, taken out of the time, the counts and the pauses reported for the steps.
        var afterFirstStep = 0L;
        if (sampler is not null)
        {
            watch.Stop();
            var paused = GC.GetTotalPauseDuration();
            GC.Collect(2, GCCollectionMode.Forced, true, true);
            afterFirstStep = GC.GetTotalMemory(true) - before;
            (gen0, gen1, gen2) = (gen0 + 1, gen1 + 1, gen2 + 1);
            pausedBeforeSteps += GC.GetTotalPauseDuration() - paused;
            watch.Start();
        }

        for (var i = 0; i < count; i += 3)
        {
            await engine.PublishAsync(new Paid($"order-{i}", 49.90m));
        }

        await clock.AdvanceAsync(2.Days());
        var ran = watch.Elapsed;
        sampler?.Recording = false;
        var allocatedPerStep = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBeforeSteps) / (double)channels.Sent;
        var steps = channels.Sent;
        var (gen0Steps, gen1Steps, gen2Steps) = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
        var pausedSteps = GC.GetTotalPauseDuration() - pausedBeforeSteps;
        var process = Process.GetCurrentProcess();
        Console.WriteLine($"journeys: {count:N0}; published in {published.TotalSeconds:F2} s ({count / published.TotalSeconds:N0}/s)");
        Console.WriteLine($"retained while waiting: {waiting / (double)count:N0} bytes per journey ({waiting / 1048576.0:N0} MiB)");
        Console.WriteLine($"steps run: {steps:N0} in {ran.TotalSeconds:F2} s: {steps / ran.TotalSeconds:N0} steps/s (payments included)");
        Console.WriteLine($"wall time: {(published + ran).TotalSeconds:F2} s (publishing, then stepping through two days of the fake clock)");
        Console.WriteLine($"allocated: {allocatedPerStart:N0} bytes per start, {allocatedPerStep:N0} bytes per step; GCs while stepping: {gen0Steps} gen0, {gen1Steps} gen1, {gen2Steps} gen2, paused {pausedSteps.TotalSeconds:F2} s");
        if (sampler is not null)
        {
            GC.Collect(2, GCCollectionMode.Forced, true, true);
            var atEnd = GC.GetTotalMemory(true) - before;
            Console.WriteLine($"retained after the first step: {afterFirstStep / (double)count:N0} bytes per journey; after the last: {atEnd / (double)count:N0}");
        }

        Console.WriteLine(load.Describe());
        Console.WriteLine($"peak working set: {process.PeakWorkingSet64 / 1048576.0:N0} MiB");
        var expected = count + (2 * (count - ((count + 2) / 3)));
        Console.WriteLine(steps == expected ? "check: every expected step ran once" : $"check FAILED: {steps} steps, expected {expected}");
        foreach (var (type, bytes) in startAllocations)
        {
            Console.WriteLine($"  {bytes / (double)count,8:N0} B/start {type}");
        }

        foreach (var (type, bytes) in sampler?.Top(40) ?? [])
        {
            Console.WriteLine($"  {bytes / (double)steps,8:N0} B/step  {type}");
        }

        return steps == expected ? 0 : 1;
    }
}
