using System.Globalization;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>
/// What a step still does now that it allocates less: the send timeout's timer made only when a channel waits,
/// computed values without a dictionary, no template model for a message of constant texts, the idempotency key
/// written in one string.
/// </summary>
public sealed class LeanStepTests
{
    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("lean").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    [Fact]
    public async Task AChannelThatHangs_AfterTheClockPassedTheLimitDuringItsCall_TimesOutAtOnce_AndIsRetried()
    {
        FakeClock? clock = null;
        var calls = 0;
        var push = new ScriptedChannel<PushMessage>(async (_, token) =>
        {
            if (++calls == 1)
            {
                // The time limit passes before the call first waits: the limit counts from the call's start.
                clock!.Advance(31.Seconds());
                await new TaskCompletionSource().Task.WaitAsync(token);
            }

            return DeliveryReceipt.Sent();
        });
        using var harness = new JourneyTestHarness(
            [Checkout().After(5.Minutes()).Push(p => p.Body("x")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(push), ConfigureEngine = o => o.SendTimeout = 30.Seconds() });
        clock = harness.Clock;
        await harness.PublishAsync(Shop.Abandoned());

        await harness.AdvanceAsync(10.Minutes()).WaitAsync(TimeSpan.FromSeconds(10));

        (await harness.TimelineAsync("order-1")).Where(r => r.StepId is not null).Select(r => (r.Kind, r.Detail)).Should().Equal(
            (JourneyRecordKind.RetryScheduled, "attempt 1 of 3 failed: timed out after 30s; retrying in 1m"),
            (JourneyRecordKind.Sent, null));
    }

    [Fact]
    public async Task AChannelThatAnswersAtOnce_KeepsAToken_ThatTheTimeLimitNeverCancels()
    {
        var tokens = new List<CancellationToken>();
        var push = new ScriptedChannel<PushMessage>((_, token) =>
        {
            tokens.Add(token);
            return ValueTask.FromResult(DeliveryReceipt.Sent());
        });
        using var harness = new JourneyTestHarness(
            [Checkout().Push(p => p.Body("x")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(push), ConfigureEngine = o => o.SendTimeout = 30.Seconds() });
        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Minutes());

        await harness.AdvanceAsync(1.Hours());

        tokens.Should().ContainSingle().Which.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public async Task ComputedValues_ReachHandlebarsBlocksAndLoops_AtEachSend()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Compute("price", _ => 49)
            .Compute("missing", _ => null)
            .Compute("step", c => c.StepId)
            .After(5.Minutes()).Push("first", p => p.Body("{{#if values.price}}{{values.price}}{{/if}}{{#if values.missing}}!{{/if}} {{#each values}}{{@key}}={{this}};{{/each}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        harness.SentOf<PushMessage>().Select(s => s.Message.Body).Should().Equal("49 price=49;missing=;step=first;");
    }

    [Fact]
    public async Task AMessageOfConstantTexts_ComputesNoValue_WhileATemplatedOneComputesThemAtEachSend()
    {
        var computed = 0;
        using var harness = new JourneyTestHarness(Checkout()
            .Compute("count", _ => ++computed)
            .After(5.Minutes()).Push("constant", p => p.Title("Your basket").Body("It is waiting for you."))
            .Then().After(10.Minutes()).Push("templated", p => p.Body("{{values.count}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        harness.SentOf<PushMessage>().Select(s => (s.Message.Title, s.Message.Body)).Should().Equal(("Your basket", "It is waiting for you."), (null, "1"));
        computed.Should().Be(1);
    }

    [Fact]
    public async Task TheIdempotencyKey_IsTheInstanceIdIn32HexDigits_ThenTheStepId_AndTemplatesReadTheSameId()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Push("reminder", p => p.Body("{{journey.instanceId}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Minutes());

        var instance = (await harness.InstancesAsync("order-1")).Single();
        var sent = harness.SentOf<PushMessage>().Should().ContainSingle().Subject;
        sent.IdempotencyKey.Should().Be(instance.Id.Value.ToString("N") + ":reminder");
        sent.Message.Body.Should().Be(instance.Id.Value.ToString("N"));
    }

    [Fact]
    public async Task TheDueInstant_TheChannelAndTheContextSee_IsTheRunsWakeUp_OnALateFirstAttemptAndOnTheRetry()
    {
        // The context reads it from the instance it runs rather than keeping a copy: the same instant either way.
        var calls = 0;
        var push = new ScriptedChannel<PushMessage>((_, _) =>
            ++calls == 1 ? throw new InvalidOperationException("down") : ValueTask.FromResult(DeliveryReceipt.Sent()));
        using var harness = new JourneyTestHarness(
            [Checkout().Compute("due", c => c.DueAt.ToUnixTimeSeconds()).After(5.Minutes()).Push(p => p.Body("{{values.due}}")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(push) });
        var started = harness.Clock.GetCurrentInstant();
        await harness.PublishAsync(Shop.Abandoned());

        // The first attempt runs 2 minutes late, the retry on time.
        harness.Clock.Advance(7.Minutes());
        await harness.Clock.RunDueAsync();
        await harness.AdvanceAsync(1.Hours());

        // The retry falls due a minute after the failed attempt (the default backoff's first delay).
        var first = started + Duration.FromMinutes(5);
        var retry = started + Duration.FromMinutes(7 + 1);
        push.Attempts.Select(d => (d.DueAt, d.Message.Body)).Should().Equal(
            (first, first.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            (retry, retry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
    }
}
