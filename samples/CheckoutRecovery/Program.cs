using System.Diagnostics;
using System.Globalization;
using System.Text;
using CheckoutRecovery.Hosted;
using CheckoutRecovery.Journeys;
using CheckoutRecovery.Simulation;

// dotnet run --project samples/CheckoutRecovery                      simulate S1 for 5,000 customers on the fake clock
// dotnet run --project samples/CheckoutRecovery -- --customers 800 --seed 7
// dotnet run --project samples/CheckoutRecovery -- --images out      write the report's pictures to out/ (default: docs/images)
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

var options = new SimulationOptions();
var images = ReportFiles.DefaultDirectory();
for (var i = 0; i < args.Length - 1; i++)
{
    options = args[i] switch
    {
        "--customers" => options with { Customers = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
        "--seed" => options with { Seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
        _ => options,
    };
    images = args[i] == "--images" ? args[i + 1] : images;
}

var stopwatch = Stopwatch.StartNew();
var report = await CheckoutSimulation.RunAsync(options);
ReportWriter.Write(report, Console.Out);
Console.WriteLine();
Console.WriteLine($"Pictures of the report: {string.Join(", ", ReportFiles.Write(report.Report, images).Select(p => Path.GetRelativePath(Environment.CurrentDirectory, p)))}");
Console.WriteLine($"({(report.SimulatedUntil - options.Start).TotalHours:0} simulated hours in {stopwatch.Elapsed.TotalSeconds:0.0} s of real time)");
return 0;
