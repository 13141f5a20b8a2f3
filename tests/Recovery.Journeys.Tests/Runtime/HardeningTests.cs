using System.Security.Cryptography;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Runtime;

/// <summary>Hostile and careless input refused early, the same on every store, and personal data kept out of timelines.</summary>
public sealed class HardeningTests
{
    // Keys built in the test: test case arguments are serialised as UTF-8, which cannot carry an unpaired surrogate.
    private static readonly Dictionary<string, string> BadKeys = new()
    {
        ["nul"] = "order\u00001",
        ["lone-high"] = "order-" + (char)0xD800,
        ["lone-low"] = (char)0xDC00 + "order",
        ["empty"] = string.Empty,
    };

    [Theory]
    [InlineData("nul", "NUL character")]
    [InlineData("lone-high", "unpaired surrogate at 6")]
    [InlineData("lone-low", "unpaired surrogate at 0")]
    [InlineData("empty", "is null or empty")]
    public async Task Publish_AKeyNoStoreCanHoldTheSame_IsRefusedNamingTheJourney(string @case, string why)
    {
        var key = BadKeys[@case];
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());

        var publish = () => harness.Engine.PublishAsync(Shop.Abandoned(key)).AsTask();

        (await publish.Should().ThrowAsync<JourneyEventException>())
            .WithMessage($"Journey 'checkout-recovery' cannot handle CheckoutAbandoned: its correlation key *{why}*");
        (await harness.Engine.FindInstancesAsync(new Ports.JourneyInstanceQuery())).Should().BeEmpty();
    }

    [Fact]
    public async Task Publish_KeysOfTheLongestLengthAndWithSurrogatePairs_AreKept_LongerOnesRefused()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());
        var longest = new string('k', JourneyLimits.MaxKeyLength);

        (await harness.PublishAsync(Shop.Abandoned(longest))).Started.Should().ContainSingle();
        (await harness.PublishAsync(Shop.Abandoned("order-😀"))).Started.Should().ContainSingle();
        var tooLong = () => harness.Engine.PublishAsync(Shop.Abandoned(longest + "k")).AsTask();
        (await tooLong.Should().ThrowAsync<JourneyEventException>()).WithMessage("*257 characters long, more than 256*");
    }

    [Fact]
    public async Task Publish_ACustomerIdNoStoreCanHold_IsRefused()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());

        var publish = () => harness.Engine.PublishAsync(Shop.Abandoned(customer: Shop.Alice with { Id = "cust\u0000" })).AsTask();

        (await publish.Should().ThrowAsync<JourneyEventException>()).WithMessage("*its customer id cannot be kept: it contains the NUL character*");
    }

    [Fact]
    public async Task Publish_AnEventWithANulInAString_IsRefusedOnEveryStore_EvenInMemory()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());

        var publish = () => harness.Engine.PublishAsync(Shop.Abandoned(customer: Shop.Alice with { Name = "Al\u0000ice" })).AsTask();
        var escaped = await harness.PublishAsync(Shop.Abandoned("order-2", customer: Shop.Alice with { Name = "Al\\u0000ice" }));

        (await publish.Should().ThrowAsync<JourneyEventException>()).WithMessage("*a string in the event contains the NUL character*");
        escaped.Started.Should().ContainSingle("a backslash followed by u0000 is text, not a NUL");
    }

    [Fact]
    public async Task AFailedSend_KeepsTheExceptionsTypeAndARedactedMessage()
    {
        var channel = ScriptedChannel<PushMessage>.Throwing("provider said: no device for alice.martin@example.com (+33 6 12 34 56 78), order 42");
        using var harness = new JourneyTestHarness(
            [TestJourneys.CheckoutRecovery()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(channel), ConfigureEngine = e => e.Retry.MaxAttempts = 1 });

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(10.Minutes());

        var failed = (await harness.TimelineAsync("order-1")).Single(r => r.Kind == JourneyRecordKind.Failed);
        failed.Detail.Should().Be("InvalidOperationException: provider said: no device for [e-mail] ([phone]), order 42");
    }

    [Fact]
    public async Task TheRedactionHook_IsTheHosts_ToReplace()
    {
        var channel = ScriptedChannel<PushMessage>.Throwing("token abc123 rejected");
        using var harness = new JourneyTestHarness(
            [TestJourneys.CheckoutRecovery()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(channel), ConfigureEngine = e => { e.Retry.MaxAttempts = 1; e.RedactError = _ => "(hidden)"; } });

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(10.Minutes());

        (await harness.TimelineAsync("order-1")).Single(r => r.Kind == JourneyRecordKind.Failed).Detail.Should().Be("InvalidOperationException: (hidden)");
    }

    [Theory]
    [InlineData("alice@example.com", "[e-mail]")]
    [InlineData("write to a.b-c+d@mail.example.co.uk now", "write to [e-mail] now")]
    [InlineData("call +33 6 12 34 56 78", "call [phone]")]
    [InlineData("call (555) 123-4567", "call [phone]")]
    [InlineData("order 12345 on 2026-01-05", "order 12345 on 2026-01-05")]
    [InlineData("at 2026-01-05 09:00", "at 2026-01-05 09:00")]
    [InlineData("timed out after 30s", "timed out after 30s")]
    public void RemoveContactDetails_RemovesAddressesAndPhoneNumbers_NotOtherNumbers(string message, string expected) =>
        ErrorRedaction.RemoveContactDetails(message).Should().Be(expected);

    [Fact]
    public void Build_RefusesADelayPastTheCeiling_NamingTheJourneyAndTheStep()
    {
        var forever = () => TestJourneys.CheckoutRecoveryBuilder().After(Duration.MaxValue).Push("too-late", p => p.Body("x"));
        var year = () => TestJourneys.CheckoutRecoveryBuilder().AfterStart(400.Days()).Sms("next-year", s => s.Text("x"));
        var wait = () => TestJourneys.CheckoutRecoveryBuilder().WaitFor<OrderPaid>(e => e.OrderId, 366.Days(), "long-wait");

        forever.Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'checkout-recovery', step 'too-late': After(*) is *, more than the 365d a journey may name");
        year.Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'checkout-recovery', step 'next-year': AfterStart(400d) is 400d, more than the 365d a journey may name");
        wait.Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'checkout-recovery', step 'long-wait': the wait's timeout is 366d, more than*");
        TestJourneys.CheckoutRecoveryBuilder().AfterStart(365.Days()).Push("last", p => p.Body("x")).Build().Steps[^1].Timing.Delay.Should().Be(StepTiming.MaxDelay);
    }

    [Fact]
    public void UnsubscribeLinks_ACustomerIdWithANewline_DoesNotSignAnotherCustomersLink()
    {
        var links = new UnsubscribeLinks(new Uri("https://shop.example.com/unsubscribe"), RandomNumberGenerator.GetBytes(32));
        var link = System.Web.HttpUtility.ParseQueryString(links.Create("x\ny", "email").Query);

        links.TryVerify("x\ny", "email", link["token"]).Should().BeTrue();
        links.TryVerify("x", "y\nemail", link["token"]).Should().BeFalse("the fields are length-prefixed, not joined by a newline");
    }

    [Fact]
    public void UnsubscribeLinks_RefuseAnAllZeroKey()
    {
        var zeros = () => new UnsubscribeLinks(new Uri("https://shop.example.com/unsubscribe"), new byte[32]);

        zeros.Should().Throw<ArgumentException>().WithMessage("*all zeros*");
    }
}
