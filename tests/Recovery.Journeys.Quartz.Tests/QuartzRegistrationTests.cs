using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using Quartz;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Quartz.Tests;

public sealed class QuartzRegistrationTests
{
    [Fact]
    public void UseQuartzScheduler_WithQuartzRegistered_ReplacesTheInProcessScheduler()
    {
        var services = new ServiceCollection();
        services.AddQuartz();
        services.AddRecoveryJourneys(journeys => journeys.UseQuartzScheduler(options => options.Group = "journeys"));
        using var provider = services.BuildServiceProvider();

        var scheduler = provider.GetRequiredService<IJourneyScheduler>();

        scheduler.Should().BeOfType<QuartzJourneyScheduler>().And.BeSameAs(provider.GetRequiredService<QuartzJourneyScheduler>());
        ((QuartzJourneyScheduler)scheduler).TriggerKeyOf(JourneyInstanceId.Parse("0123456789abcdef0123456789abcdef"))
            .Should().Be(new TriggerKey("0123456789abcdef0123456789abcdef", "journeys"));
    }

    [Fact]
    public void UseQuartzScheduler_WithoutQuartz_SaysToRegisterIt()
    {
        var services = new ServiceCollection();
        services.AddRecoveryJourneys(journeys => journeys.UseQuartzScheduler());
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<IJourneyScheduler>();

        resolve.Should().Throw<InvalidOperationException>().WithMessage("*services.AddQuartz(...)*");
    }

    [Fact]
    public async Task UseQuartzScheduler_InvalidOptions_FailsAtStartWithEveryProblem()
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddQuartz();
        builder.Services.AddRecoveryJourneys(journeys => journeys.UseQuartzScheduler(options =>
        {
            options.Group = " ";
            options.ReconciliationInterval = Duration.FromMilliseconds(10);
        }));
        using var host = builder.Build();

        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Failures.Should().HaveCount(2)
            .And.Contain(f => f.Contains("Group", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("ReconciliationInterval", StringComparison.Ordinal));
    }
}
