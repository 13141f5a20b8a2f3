using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>
/// Runs the snippets of README.md and docs/getting-started.md and checks they do what the pages say. That each block of
/// the pages is the text of compiled code is <see cref="Snippets.SnippetRegionsTests"/>'s job.
/// </summary>
public sealed class DocumentationSnippetsTests
{
    internal static readonly string RepoRoot = FindRepoRoot();

    [Fact]
    public void Readme_SetUp_HasExactlyTheTwoCommands()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot, "README.md")).ReplaceLineEndings("\n");

        readme.Should().Contain(
            "```\ndotnet run --project samples/CheckoutRecovery\nbash eng/test-services.sh && dotnet test Recovery.Journeys.sln\n```");
    }

    [Fact]
    public async Task Readme_QuickStart_RegistersAndRuns()
    {
        var clock = new FakeClock();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddSingleton<HttpClient>();

        var journey = ReadmeSnippets.QuickStart(services);

        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<JourneyEngine>().Journeys.Should().ContainSingle().Which.Should().BeSameAs(journey);
        provider.GetRequiredService<IChannel<PushMessage>>().Should().BeOfType<MyPushChannel>();
        using var harness = new JourneyTestHarness(journey);
        await harness.PublishAsync(new CheckoutAbandoned("order-1", new Customer("c") { Name = "Alice", PushToken = "t", Email = "alice@example.com" }, [], 10m, 45));
        await harness.AdvanceAsync(2.Days());
        harness.Sent.Select(s => s.StepId).Should().Equal("push-1", "email-1", "push-2");
        harness.SentOf<PushMessage>()[0].Message.Body.Should().Contain("Il ne vous reste que 15 minutes");
    }

    [Fact]
    public void GettingStarted_MisspeltField_FailsNamingJourneyStepAndField()
    {
        var error = GettingStartedSnippets.Misspelt();

        error.Should().NotBeNull();
        error!.JourneyName.Should().Be("checkout-recovery");
        error.StepId.Should().Be("mail");
        error.Message.Should().Be(
            "Journey 'checkout-recovery', step 'mail': the subject template is invalid: '{{event.OrderNumber}}' (line 1): CheckoutAbandoned has no field 'OrderNumber'");
    }

    [Fact]
    public void GettingStarted_Definition_IsInspectable()
    {
        var journey = GettingStartedSnippets.CheckoutRecovery();

        journey.Describe().ReplaceLineEndings("\n").Should().Be(
            "Journey 'checkout-recovery' v1: when CheckoutAbandoned [e => e.SecondsOnPaymentPage > 30]\n" +
            "  push-reminder (push, +5m after start)\n" +
            "  email-reminder (email, +1h after start)\n" +
            "  push-extra-offer (push, +1d after start)\n" +
            "  exit on OrderPaid (conversion)\n" +
            "  exit on OrderCancelled (exit)\n");
        journey.ToMermaid().Should().StartWith("flowchart TD");
    }

    [Fact]
    public async Task GettingStarted_Timings_AfterCountsFromThePreviousStep_AfterStartFromTheStart()
    {
        using var harness = new JourneyTestHarness(GettingStartedSnippets.Timings());
        var start = harness.Clock.Now;

        await harness.PublishAsync(new CheckoutAbandoned("o", new Customer("c") { Email = "c@example.com", Phone = "+33600000000", PushToken = "t" }, [], 1m, 45));
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => (s.StepId, s.At - start)).Should().Equal(("push-1", Duration.Zero), ("sms-1", 1.Hours()), ("email-1", 24.Hours()));
    }

    [Fact]
    public async Task GettingStarted_ForCustomerId_ReadsTheDirectoryAtSendTime()
    {
        var directory = new ShopCustomerDirectory();
        using var harness = new JourneyTestHarness([GettingStartedSnippets.ByCustomerId()], new JourneyTestHarnessOptions { Customers = directory });

        directory.Save(new Customer("c") { Name = "Alice", Email = "old@example.com" });
        await harness.PublishAsync(new CheckoutAbandoned("o", new Customer("c"), [], 1m, 45));
        directory.Save(new Customer("c") { Name = "Alice", Email = "new@example.com" });
        await harness.AdvanceAsync(2.Hours());

        harness.SentOf<EmailMessage>().Single().Should().Match<SentMessage<EmailMessage>>(s => s.Recipient.Email == "new@example.com" && s.Message.Subject == "Bonjour Alice");
    }

    [Fact]
    public void GettingStarted_ForCustomerIdWithoutDirectory_FailsWhenTheEngineIsCreated()
    {
        var services = new ServiceCollection().AddSingleton<HttpClient>();
        GettingStartedSnippets.RegisterDirectory(services);
        services.RemoveAll<ICustomerDirectory>();
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<JourneyEngine>();

        resolve.Should().Throw<JourneyDefinitionException>().WithMessage("*ForCustomerId*no ICustomerDirectory is registered*");
    }

    [Fact]
    public async Task GettingStarted_OtherChannels_WebhookCrmListAndCustomMessages()
    {
        using var harness = new JourneyTestHarness(GettingStartedSnippets.OtherChannels());

        await harness.PublishAsync(new CheckoutAbandoned("o-1", new Customer("c") { Name = "Alice" }, [], 1m, 45));
        await harness.AdvanceAsync(3.Hours());

        harness.Sent.Select(s => s.StepId).Should().Equal("notify-crm", "crm-list-1", "whatsapp-1");
        harness.SentOf<WebhookMessage>().Single().Message.Should().Be(new WebhookMessage("https://crm.example.com/hooks/abandoned", "{\"order\":\"o-1\"}"));
        harness.SentOf<CrmListUpdate>().Single().Message.Should().Be(new CrmListUpdate("cart-abandoners", MembershipChange.Add));
        harness.SentOf<WhatsAppTemplate>().Single().Message.Parameters.Should().Equal("Alice", "o-1");
    }

    [Fact]
    public async Task GettingStarted_SeveralChannels_FanOutToReachableChannels_FallbackToTheFirstThatWorks()
    {
        var journey = GettingStartedSnippets.SeveralChannels();
        using var harness = new JourneyTestHarness(journey);

        await harness.PublishAsync(new CheckoutAbandoned("o", new Customer("c") { PushToken = "t", Email = "c@example.com" }, [], 1m, 45));
        await harness.AdvanceAsync(2.Hours());

        journey.Steps.Select(s => (s.Id, s.Channel)).Should().Equal(("push-everywhere", "push+web-push"), ("sms-or-email", "sms|email"));
        (await harness.TimelineAsync("o")).Where(r => r.StepId is not null).Select(r => (r.StepId, r.Kind, r.Channel, r.Detail)).Should().Equal(
            ("push-everywhere", JourneyRecordKind.Sent, "push", null),
            ("push-everywhere", JourneyRecordKind.Skipped, "web-push", "no web push subscription"),
            ("sms-or-email", JourneyRecordKind.Skipped, "sms", "no phone number"),
            ("sms-or-email", JourneyRecordKind.Sent, "email", null));
        harness.Sent.Select(s => s.IdempotencyKey[(s.IdempotencyKey.IndexOf(':', StringComparison.Ordinal) + 1)..])
            .Should().Equal("push-everywhere:push", "sms-or-email:email");
    }

    [Fact]
    public async Task GettingStarted_Consent_AnOptedOutChannelIsSkipped_AndTheFallbackMovesOn()
    {
        var preferences = new Preferences();
        using var harness = new JourneyTestHarness([GettingStartedSnippets.SeveralChannels()], new JourneyTestHarnessOptions { Consent = new PreferenceCentre(preferences) });
        var customer = new Customer("c") { PushToken = "t", Phone = "+33600000000", Email = "c@example.com" };

        await harness.PublishAsync(new CheckoutAbandoned("o", customer, [], 1m, 45));
        preferences.OptOut("c", "sms");
        await harness.AdvanceAsync(2.Hours());

        (await harness.TimelineAsync("o")).Where(r => r.StepId == "sms-or-email").Select(r => (r.Kind, r.Channel, r.Detail)).Should().Equal(
            (JourneyRecordKind.Skipped, "sms", "customer opted out of sms"),
            (JourneyRecordKind.Sent, "email", null));
    }

    [Fact]
    public async Task GettingStarted_Retries_TransientFailuresBackOff_PermanentOnesFallBack()
    {
        var clock = new FakeClock();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddSingleton(new HttpClient(new ProvidersStub()));
        GettingStartedSnippets.RegisterWithRetries(services);
        await using var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<JourneyEngine>();
        using var drive = clock.Drive(engine);
        var customer = new Customer("c") { PushToken = "t", WebPushEndpoint = "https://web-push.example.com/subscription/1", Phone = "+33600000000", Email = "c@example.com" };

        await engine.PublishAsync(new CheckoutAbandoned("o", customer, [], 1m, 45));
        await clock.AdvanceAsync(3.Hours());

        var instance = (await engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: "o"))).Single();
        var records = (await engine.GetTimelineAsync(instance.Id)).Where(r => r.StepId is not null).ToList();
        records.Select(r => (r.At - FakeClock.DefaultStart, r.Kind, r.Channel)).Should().Equal(
            (Duration.Zero, JourneyRecordKind.RetryScheduled, "push"),
            (Duration.Zero, JourneyRecordKind.Sent, "web-push"),
            (30.Seconds(), JourneyRecordKind.RetryScheduled, "push"),
            (2.Minutes(), JourneyRecordKind.RetryScheduled, "push"),
            (6.Minutes() + 30.Seconds(), JourneyRecordKind.RetryScheduled, "push"),
            (20.Minutes(), JourneyRecordKind.Failed, "push"),
            (1.Hours() + 20.Minutes(), JourneyRecordKind.Failed, "sms"),
            (1.Hours() + 20.Minutes(), JourneyRecordKind.Sent, "email"));
        records[0].Detail.Should().Be("attempt 1 of 5 failed: HttpRequestException: Response status code does not indicate success: 503 (Service Unavailable).; retrying in 30s");
        records.Single(r => r.Channel == "sms").Detail.Should().Be("PermanentDeliveryException: the SMS gateway refused the message (400)");
    }

    [Fact]
    public async Task GettingStarted_Do_RunsHostActions()
    {
        var coupons = new CouponList();
        using var harness = new JourneyTestHarness(GettingStartedSnippets.WithCoupon(coupons));

        await harness.PublishAsync(new CheckoutAbandoned("o", new Customer("c"), [], 1m, 45));
        await harness.AdvanceAsync(1.Hours());
        coupons.Members.Should().Equal("c:RELANCE10");
        await harness.AdvanceAsync(1.Days());

        coupons.Members.Should().BeEmpty();
        (await harness.TimelineAsync("o")).Where(r => r.Kind == JourneyRecordKind.Sent).Select(r => (r.StepId, r.Channel))
            .Should().Equal(("add-to-coupon-list", "action"), ("remove-from-coupon-list", "action"));
    }

    [Fact]
    public async Task GettingStarted_Exits_WhereWithValueAndNotAConversion()
    {
        using var harness = new JourneyTestHarness(GettingStartedSnippets.Exits(
                Journey.When<CheckoutAbandoned>().Named("exits").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer))
            .After(1.Hours()).Sms(s => s.Text("x"))
            .Build());
        var customer = new Customer("c") { Phone = "+33600000000" };

        await harness.PublishAsync(new CheckoutAbandoned("paid", customer, [], 1m, 45));
        await harness.PublishAsync(new CheckoutAbandoned("cancelled", customer, [], 1m, 45));
        (await harness.PublishAsync(new OrderPaid("paid", 0m))).Ended.Should().BeEmpty("Where(e => e.Amount > 0) rejects it");
        await harness.PublishAsync(new OrderPaid("paid", 12.5m));
        await harness.PublishAsync(new OrderCancelled("cancelled"));
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Should().BeEmpty();
        (await harness.TimelineAsync("paid"))[^1].Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Converted, Value = 12.5m });
        (await harness.TimelineAsync("cancelled"))[^1].Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Exited, Detail = "OrderCancelled" });
    }

    [Fact]
    public async Task GettingStarted_TimelineAndConversionsByStep_ReadTheStore()
    {
        using var harness = new JourneyTestHarness(GettingStartedSnippets.CheckoutRecovery());
        var customer = new Customer("c") { Name = "Alice", Email = "a@example.com", PushToken = "t" };
        await harness.PublishAsync(new CheckoutAbandoned("order-1", customer, [], 40m, 45));
        await harness.PublishAsync(new CheckoutAbandoned("order-2", customer, [], 60m, 45));
        await harness.AdvanceAsync(10.Minutes());
        await harness.PublishAsync(new OrderPaid("order-1", 40m));
        await harness.PublishAsync(new OrderPaid("order-2", 60m));
        var output = new StringWriter();
        var console = Console.Out;

        Console.SetOut(output);
        try
        {
            await GettingStartedSnippets.PrintTimelineAsync(harness.Engine, "order-1", CancellationToken.None);
        }
        finally
        {
            Console.SetOut(console);
        }

        output.ToString().Should().Contain("Converted OrderPaid").And.Contain("Sent push-reminder");
        (await GettingStartedSnippets.ConversionsByStepAsync(harness.Store, CancellationToken.None))
            .Should().Equal(new Dictionary<string, (int, decimal)> { ["push-reminder"] = (2, 100m) });
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Recovery.Journeys.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Recovery.Journeys.sln not found above " + AppContext.BaseDirectory);
    }

    // The providers of the getting-started channels: push is down, the SMS gateway rejects the message, the rest accept.
    private sealed class ProvidersStub : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(request.RequestUri!.Host switch
            {
                "push.example.com" => HttpStatusCode.ServiceUnavailable,
                "sms.example.com" => HttpStatusCode.BadRequest,
                _ => HttpStatusCode.OK,
            }));
    }

    private sealed class CouponList : ICouponList
    {
        public List<string> Members { get; } = [];

        public ValueTask AddAsync(string customerId, string coupon, CancellationToken cancellationToken)
        {
            Members.Add($"{customerId}:{coupon}");
            return ValueTask.CompletedTask;
        }

        public ValueTask RemoveAsync(string customerId, string coupon, CancellationToken cancellationToken)
        {
            Members.Remove($"{customerId}:{coupon}");
            return ValueTask.CompletedTask;
        }
    }
}
