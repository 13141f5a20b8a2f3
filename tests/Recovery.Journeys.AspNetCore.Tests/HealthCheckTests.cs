using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using Recovery.Journeys.AspNetCore.Health;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Time;
using ShopWeb.Shop;

namespace Recovery.Journeys.AspNetCore.Tests;

public sealed class HealthCheckTests
{
    private static readonly HealthCheckContext Context = new()
    {
        Registration = new HealthCheckRegistration("recovery-journeys", _ => null!, HealthStatus.Unhealthy, null),
    };

    [Fact]
    public async Task BeforeTheWorkerRuns_Unhealthy()
    {
        var f = EngineFixture.Create();

        var result = await Check(f).CheckHealthAsync(Context);

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Be("No worker has run due steps yet.");
    }

    [Fact]
    public async Task WorkerRanAndNothingOverdue_Healthy()
    {
        var f = EngineFixture.Create();
        await f.Engine.RunDueAsync();

        var result = await Check(f).CheckHealthAsync(Context);

        result.Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task WorkerSilentLongerThanItsTimeout_Unhealthy()
    {
        var f = EngineFixture.Create();
        await f.Engine.RunDueAsync();
        f.Clock.Advance(Duration.FromMinutes(3));

        var result = await Check(f).CheckHealthAsync(Context);

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().Contain("180 s ago");
    }

    [Theory]
    [InlineData(4, HealthStatus.Healthy)]
    [InlineData(6, HealthStatus.Degraded)]
    [InlineData(31, HealthStatus.Unhealthy)]
    public async Task TheOldestOverdueStep_AgainstTheThresholds(int minutesLate, HealthStatus expected)
    {
        var f = EngineFixture.Create();
        await f.Engine.PublishAsync(new PaymentFailed("O-1", new Customer("C1") { Phone = "+33611111111" }, 10m));
        // The SMS is due 10 minutes after the start; the worker beats (a run of an unknown instance) without running it.
        f.Clock.Advance(Duration.FromMinutes(10 + minutesLate));
        await f.Engine.RunInstanceAsync(JourneyInstanceId.New());

        var result = await Check(f).CheckHealthAsync(Context);

        result.Status.Should().Be(expected);
        result.Data["oldestOverdueSeconds"].Should().Be(minutesLate * 60.0);
    }

    private static RecoveryJourneysHealthCheck Check(EngineFixture f) => new(f.Engine, f.Store, f.Clock, new RecoveryJourneysHealthCheckOptions());
}
