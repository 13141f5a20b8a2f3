using Recovery.Journeys.Comparison.Peers;
using Recovery.Journeys.Comparison.Shop;

namespace Recovery.Journeys.Comparison.Runs.Faults;

/// <summary>
/// <c>worker &lt;framework&gt; &lt;schema&gt; &lt;name&gt; [--stall-after N] [--tuned] [--hangfire-invisibility S]</c>: one app
/// instance of a framework in a process of its own, on the parent run's PostgreSQL schema, its sends recorded durably
/// there; runs until its standard input closes or it is killed (the SIGKILL fault). The S1 delays are the kill run's.
/// </summary>
public static class WorkerCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (framework, schema, name) = (args[0], args[1], args[2]);
        KillRun.UseDelays();
        var stallAfter = Args.Text(args, "--stall-after") is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        var invisibility = Args.Text(args, "--hangfire-invisibility") is { } s ? TimeSpan.FromSeconds(int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)) : (TimeSpan?)null;
        await using var environment = await RunEnvironment.CreateAsync(framework, new Store("postgresql", schema)).ConfigureAwait(false);
        environment.Keep = true;
        await using var node = await environment.NodeAsync(framework, new RecordingChannels(environment.SendLog, name, stallAfter: stallAfter), Args.Flag(args, "--tuned"), name, invisibility).ConfigureAwait(false);
        await node.StartProcessingAsync().ConfigureAwait(false);
        Console.WriteLine($"worker {name} running (pid {Environment.ProcessId})");

        // Standard input closes when the parent asks for a graceful stop, or when the parent itself dies.
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        Console.WriteLine($"worker {name} stopping");
        return 0;
    }
}
