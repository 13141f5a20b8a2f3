namespace CheckoutRecovery.Scenarios;

/// <summary>The scenarios <c>--scenario</c> runs besides S1, the default (which has its own simulation).</summary>
public static class ScenarioCatalog
{
    /// <summary>S2 to S5.</summary>
    public static IReadOnlyList<IScenario> All { get; } = [new S2EmailDoneRight(), new S3Strategies(), new S4Multichannel(), new S5UnpaidOrderCoupon()];

    /// <summary>The scenario with this id (<c>s3</c>, case-insensitive), or <see langword="null"/>.</summary>
    /// <param name="id">The id.</param>
    public static IScenario? Find(string id) => All.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs a scenario, prints it, and writes its pictures into <paramref name="outputDirectory"/>.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="options">Size, seed and period.</param>
    /// <param name="output">Where to print.</param>
    /// <param name="outputDirectory">Where the pictures go.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The run.</returns>
    public static async Task<ScenarioResult> RunAndPrintAsync(IScenario scenario, ScenarioOptions options, TextWriter output, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(output);
        var result = await scenario.RunAsync(options, cancellationToken);
        ScenarioPrinter.Write(output, scenario, result);
        output.WriteLine();
        var files = ScenarioPictures.Write(scenario.Id, result, outputDirectory);
        output.WriteLine($"Pictures of the report in {Path.GetFullPath(outputDirectory)}: {string.Join(", ", files.Select(Path.GetFileName))}");
        output.WriteLine($"({(result.SimulatedUntil - options.Start).TotalHours:0} simulated hours, {options.Customers} customers, seed {options.Seed})");
        return result;
    }
}
