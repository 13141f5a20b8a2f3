using Recovery.Journeys.Comparison.Runs.Faults;
using Xunit.Abstractions;

namespace Recovery.Journeys.Comparison.Tests;

/// <summary>
/// The fault runs of each framework at a small size: each completes and its counts add up. What each framework does
/// under the fault is the run's report (docs/comparison.md), not an assertion: the counts are printed.
/// </summary>
public sealed class FaultRealTimeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("library")]
    [InlineData("hangfire")]
    [InlineData("wolverine")]
    public async Task PayRace_PaymentsAroundDueTimes_CountsSendsAfterThePayment(string framework)
    {
        var result = await PayRaceRun.MeasureAsync(framework, orders: 20, tuned: true);

        output.WriteLine(result.ToString());
        result.Sent.Should().BeInRange(0, 20);
        result.SentAfterPayment.Should().BeInRange(0, result.Sent);
    }

    [Theory]
    [InlineData("library")]
    [InlineData("hangfire")]
    [InlineData("wolverine")]
    public async Task PaidFirst_PaymentBeforeAbandonment_CountsRemindersToPaidOrders(string framework)
    {
        var result = await PaidFirstRun.MeasureAsync(framework, orders: 5, tuned: true, settle: TimeSpan.FromSeconds(3));

        output.WriteLine(result.ToString());
        result.SentToPaidOrders.Should().BeInRange(0, 15);
        result.OrdersReminded.Should().BeInRange(0, 5);
    }

    [Theory]
    [InlineData("library")]
    [InlineData("hangfire")]
    [InlineData("wolverine")]
    public async Task Hung_ProviderNeverAnswersForSomeCustomers_CountsTheOthersSends(string framework)
    {
        var result = await HungChannelRun.MeasureAsync(framework, orders: 40, every: 10, bound: TimeSpan.FromSeconds(3), tuned: true);

        output.WriteLine(result.ToString());
        result.Others.Should().Be(36);
        result.OthersSent.Should().BeInRange(0, 36);
        result.HungCalls.Should().BeInRange(0, 4);
    }

    [Theory]
    [InlineData("library")]
    [InlineData("hangfire")]
    [InlineData("wolverine")]
    public async Task Kill_WorkerProcessKilledMidRun_CountsLostAndDuplicated(string framework)
    {
        var result = await KillRun.MeasureAsync(framework, journeys: 20, kills: 1, bound: TimeSpan.FromSeconds(10), ["--tuned"], output.WriteLine);

        output.WriteLine(result.ToString());
        result.Steps.Should().Be(60);
        result.Lost.Should().BeInRange(0, 60);
        (result.Sends - result.Duplicated).Should().Be(60 - result.Lost, "every send is either a reminder's first or a repeat");
    }
}
