using Recovery.Journeys.Benchmarks;
using Recovery.Journeys.Benchmarks.Durable;
using Recovery.Journeys.Benchmarks.Lateness;
using Recovery.Journeys.Benchmarks.Scale;

// Timed console runs by name; anything else goes to BenchmarkDotNet (docs/performance.md lists every command).
return args.Length > 0 && args[0] == "scale" ? await ScaleRun.RunAsync(args[1..])
    : args.Length > 0 && args[0] == "durable" ? await DurableRun.RunAsync(args[1..])
    : args.Length > 0 && args[0] == "lateness" ? await LatenessRun.RunAsync(args[1..])
    : args.Length > 0 && args[0] == "build" ? Recovery.Journeys.Benchmarks.Build.BuildRun.Run(args[1..])
    : args.Length > 0 && args[0] == "templates-ab" ? Recovery.Journeys.Benchmarks.Templates.TemplateComparisonRun.Run(args[1..])
    : args.Length > 0 && args[0] == "scheduling" ? await Recovery.Journeys.Benchmarks.Scheduling.SchedulingPairs.RunAsync(args[1..])
    : args.Length > 0 && args[0] == "profile-scheduling" ? await Recovery.Journeys.Benchmarks.Scheduling.SchedulingProfile.RunAsync(args[1..])
    : BenchmarkEntry.Run(args);
