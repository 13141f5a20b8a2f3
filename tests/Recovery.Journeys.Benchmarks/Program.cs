using Recovery.Journeys.Benchmarks.Scale;

return args.Length > 0 && args[0] == "scale"
    ? await ScaleRun.RunAsync(args[1..])
    : Recovery.Journeys.Benchmarks.BenchmarkEntry.Run(args);
