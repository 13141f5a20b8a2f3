using Recovery.Journeys.Comparison.Runs;

// The runs of docs/comparison.md by name (the doc lists every command).
return args.Length == 0 ? Usage()
    : args[0] switch
    {
        "throughput" => await ThroughputRun.RunAsync(args[1..]),
        "settings" => SettingsRun.Run(),
        _ => Usage(),
    };

static int Usage()
{
    Console.Error.WriteLine("usage: throughput | lateness | faults | loc | settings [options] (see docs/comparison.md)");
    return 2;
}
