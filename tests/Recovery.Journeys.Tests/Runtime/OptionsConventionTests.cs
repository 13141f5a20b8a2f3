using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>The constructor convention: options are validated (every failure at once) and copied.</summary>
public sealed class OptionsConventionTests
{
    [Fact]
    public void Engine_RejectsInvalidOptions_ListingEveryFailure()
    {
        var clock = new FakeClock();
        var options = new JourneyEngineOptions { BatchSize = 0, MaxConcurrentSteps = 0, SendTimeout = Duration.Zero };

        var act = () => new JourneyEngine([TestJourneys.CheckoutRecovery()], new InMemoryJourneyStore(), new JourneyHostServices { Channels = new RecordingChannels(clock) }, clock, options);

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(3)
            .And.Contain(f => f.Contains("BatchSize", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("MaxConcurrentSteps", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("SendTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Engine_KeepsACopy_SoLaterChangesToTheOptionsHaveNoEffect()
    {
        var clock = new FakeClock();
        var channels = new RecordingChannels(clock).Use(ScriptedChannel<Channels.PushMessage>.Throwing("down"));
        var options = new JourneyEngineOptions { MaxConcurrentSteps = 1 };
        options.Retry.MaxAttempts = 1;
        var engine = new JourneyEngine([TestJourneys.CheckoutRecovery()], new InMemoryJourneyStore(), new JourneyHostServices { Channels = channels }, clock, options);

        // Changed after the engine was made: a running engine must not see it.
        options.Retry.MaxAttempts = 5;
        await engine.PublishAsync(Shop.Abandoned());
        clock.Advance(Duration.FromMinutes(5));
        await engine.RunDueAsync();

        var instance = (await engine.FindInstancesAsync(new Ports.JourneyInstanceQuery(CorrelationKey: "order-1"))).Single();
        var timeline = await engine.GetTimelineAsync(instance.Id);
        timeline.Should().Contain(r => r.Kind == JourneyRecordKind.Failed && r.StepId == "push-reminder", "one attempt was allowed when the engine was made");
        timeline.Should().NotContain(r => r.Kind == JourneyRecordKind.RetryScheduled);
    }

    [Fact]
    public void InProcessScheduler_RejectsInvalidOptions_ListingEveryFailure()
    {
        var act = () => new InProcessJourneyScheduler(new FakeClock(), new InProcessSchedulerOptions { PollInterval = Duration.Zero, ErrorBackoff = -1.Seconds() });

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().HaveCount(2);
    }
}
