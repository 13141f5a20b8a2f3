using Recovery.Journeys.Comparison.Runs;
using Recovery.Journeys.Comparison.Runs.Faults;

// The runs of docs/comparison.md by name (the doc lists every command).
return args.Length == 0 ? Usage()
    : args[0] switch
    {
        "throughput" => await ThroughputRun.RunAsync(args[1..]),
        "lateness" => await LatenessRun.RunAsync(args[1..]),
        "kill" => await KillRun.RunAsync(args[1..]),
        "pay-race" => await PayRaceRun.RunAsync(args[1..]),
        "paid-first" => await PaidFirstRun.RunAsync(args[1..]),
        "hung" => await HungChannelRun.RunAsync(args[1..]),
        "worker" => await WorkerCommand.RunAsync(args[1..]),
        "settings" => SettingsRun.Run(),
        "loc" => LinesOfCodeRun.Run(args[1..]),
        _ => Usage(),
    };

static int Usage()
{
    Console.Error.WriteLine("usage: throughput | lateness | kill | pay-race | paid-first | hung | loc | settings [options] (see docs/comparison.md)");
    return 2;
}
