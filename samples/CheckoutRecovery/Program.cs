using System.Diagnostics;
using System.Globalization;
using System.Text;
using CheckoutRecovery.Hosted;
using CheckoutRecovery.Journeys;
using CheckoutRecovery.Scenarios;
using CheckoutRecovery.Simulation;

// dotnet run --project samples/CheckoutRecovery                      simulate S1 for 5,000 customers on the fake clock
// dotnet run --project samples/CheckoutRecovery -- --customers 800 --seed 7
// dotnet run --project samples/CheckoutRecovery -- --scenario s3     run scenario S2, S3, S4 or S5 instead (2,000 customers by default)
// dotnet run --project samples/CheckoutRecovery -- --out reports     write the report's pictures to reports/ (default: ./out)
// dotnet run --project samples/CheckoutRecovery -- --mermaid         print the journey as a Mermaid flowchart (docs/experiments.md shows it)
// dotnet run --project samples/CheckoutRecovery -- --hosted          the same journey in seconds, on the real clock
Console.OutputEncoding = Encoding.UTF8;

if (args.Contains("--mermaid"))
{
    Console.Write(CheckoutRecoveryJourney.Build(new OfferDesk()).ToMermaid());
    return 0;
}

if (args.Contains("--hosted"))
{
    await HostedDemo.RunAsync(args);
    return 0;
}

string? Option(string name) => args.Select((a, i) => (a, i)).Where(x => x.a == name && x.i + 1 < args.Length).Select(x => args[x.i + 1]).LastOrDefault();
int? Number(string name) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;

// Pictures go to ./out unless told otherwise (--images is the older name): never into the repository's tracked files.
var images = Option("--out") ?? Option("--images") ?? "out";
var scenarioId = Option("--scenario") ?? "s1";
var stopwatch = Stopwatch.StartNew();

if (!string.Equals(scenarioId, "s1", StringComparison.OrdinalIgnoreCase))
{
    if (ScenarioCatalog.Find(scenarioId) is not { } scenario)
    {
        Console.Error.WriteLine($"Unknown scenario '{scenarioId}': use s1 (the default), {string.Join(", ", ScenarioCatalog.All.Select(s => s.Id))}.");
        return 2;
    }

    var scenarioOptions = new ScenarioOptions();
    scenarioOptions = scenarioOptions with
    {
        Customers = Number("--customers") ?? scenarioOptions.Customers,
        Seed = Number("--seed") ?? scenarioOptions.Seed,
    };
    await ScenarioCatalog.RunAndPrintAsync(scenario, scenarioOptions, Console.Out, images);
    Console.WriteLine($"({stopwatch.Elapsed.TotalSeconds:0.0} s of real time)");
    return 0;
}

var options = new SimulationOptions();
options = options with
{
    Customers = Number("--customers") ?? options.Customers,
    Seed = Number("--seed") ?? options.Seed,
};
var report = await CheckoutSimulation.RunAsync(options);
ReportWriter.Write(report, Console.Out);
Console.WriteLine();
Console.WriteLine($"Pictures of the report in {Path.GetFullPath(images)}: {string.Join(", ", ReportFiles.Write(report.Report, images).Select(Path.GetFileName))}");
Console.WriteLine($"({(report.SimulatedUntil - options.Start).TotalHours:0} simulated hours in {stopwatch.Elapsed.TotalSeconds:0.0} s of real time)");
return 0;
