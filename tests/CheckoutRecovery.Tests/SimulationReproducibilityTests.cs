using CheckoutRecovery.Simulation;
using Recovery.Journeys;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Experiments;

namespace CheckoutRecovery.Tests;

public sealed class SimulationReproducibilityTests
{
    [Fact]
    public async Task RunAsync_SameSeedTwice_PrintsTheSameReport()
    {
        var options = new SimulationOptions { Customers = 400, Seed = 7 };

        var first = await PrintAsync(options);
        var second = await PrintAsync(options);

        second.Should().Be(first);
    }

    [Fact]
    public async Task RunAsync_AnotherSeed_DrawsAnotherPopulation()
    {
        var first = await CheckoutSimulation.RunAsync(new SimulationOptions { Customers = 400, Seed = 7 });
        var second = await CheckoutSimulation.RunAsync(new SimulationOptions { Customers = 400, Seed = 8 });

        second.Report.Should().NotBeEquivalentTo(first.Report);
    }

    [Fact]
    public async Task RunAsync_NobodyEverPays_SendsEveryReminderToEveryoneWhoEntered()
    {
        var options = new SimulationOptions
        {
            Customers = 200,
            NoEmailShare = 0,
            PayBeforeFirstReminder = 0,
            PayAfterFirstPush = 0,
            PayAfterHelpfulPush = 0,
            PayAfterEmail = 0,
            PayAfterExtraOffer = 0,
            HoldoutPaysOnTheirOwn = 0,
        };

        var report = (await CheckoutSimulation.RunAsync(options)).Report;

        var treated = report.Holdout!.Journey.Entered;
        report.Converted.Should().Be(0);
        report.Steps.Where(s => s.StepId.StartsWith("push-reminder", StringComparison.Ordinal)).Sum(s => s.Sent).Should().Be(treated);
        report.Steps.Where(s => !s.StepId.StartsWith("push-reminder", StringComparison.Ordinal)).Should().OnlyContain(s => s.Sent == treated && s.HeldOut == report.Holdout.Holdout.Entered);
        report.Completed.Should().Be(report.Entered);
    }

    [Fact]
    public void Validate_OutOfRangeShares_NamesEveryProblem()
    {
        var options = new SimulationOptions { Customers = 1, ShortVisitShare = 1.5, PayAfterEmail = -0.1 };

        var validate = options.Validate;

        validate.Should().Throw<ArgumentException>()
            .WithMessage("*Customers must be at least 2*")
            .WithMessage("*ShortVisitShare must be between 0 and 1*")
            .WithMessage("*PayAfterEmail must be between 0 and 1*");
    }

    private static async Task<string> PrintAsync(SimulationOptions options)
    {
        using var output = new StringWriter();
        ReportWriter.Write(await CheckoutSimulation.RunAsync(options), output);
        return output.ToString();
    }
}
