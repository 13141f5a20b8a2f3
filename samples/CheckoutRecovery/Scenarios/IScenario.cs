namespace CheckoutRecovery.Scenarios;

/// <summary>A scenario of the requirements, runnable from the command line: <c>--scenario s3</c>.</summary>
public interface IScenario
{
    /// <summary>Its id on the command line: <c>s2</c>.</summary>
    string Id { get; }

    /// <summary>What it shows, in a line.</summary>
    string Title { get; }

    /// <summary>Its rules, as the run follows them and its test checks them.</summary>
    IReadOnlyList<string> Rules { get; }

    /// <summary>Runs it on the fake clock.</summary>
    /// <param name="options">The population's size, seed and period.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    Task<ScenarioResult> RunAsync(ScenarioOptions options, CancellationToken cancellationToken = default);
}
