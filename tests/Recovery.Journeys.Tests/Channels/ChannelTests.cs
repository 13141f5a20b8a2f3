using System.Text.Json;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests;

public sealed class ChannelTests
{
    private static readonly Customer Everywhere = Shop.Alice with { WebPushEndpoint = "https://push.example.com/sub/1", ChatId = "wa:33612345678" };

    private static JourneyBuilder<CheckoutAbandoned> Checkout() =>
        Journey.When<CheckoutAbandoned>().Named("channels").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer);

    private static async Task<IReadOnlyList<JourneyRecord>> StepRecords(JourneyTestHarness harness, string orderId = "order-1") =>
        (await harness.TimelineAsync(orderId)).Where(r => r.StepId is not null && r.Kind != JourneyRecordKind.Converted).ToList();

    [Fact]
    public async Task EveryChannelKind_IsSentThroughItsOwnChannel()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Push(p => p.Body("push"))
            .WebPush(w => w.Title("Panier").Body("web push").Url("https://shop.example.com/cart"))
            .Email(m => m.Subject("mail").TextBody("mail"))
            .Sms(s => s.Text("sms"))
            .Chat(c => c.Text("chat").QuickReply("Payer").QuickReply("Aide"))
            .OnSite(o => o.Placement("exit-intent").Title("Attendez !").Body("on-site").Action("Payer", "https://shop.example.com/pay"))
            .AddToAudience("abandoners")
            .RemoveFromAudience("buyers")
            .AddToCrmList("coupon-eligible")
            .RemoveFromCrmList("newsletter-pending")
            .Webhook("https://crm.example.com/hooks/abandon", c => new { order = c.Event.OrderId, total = c.Event.Total })
            .Build());

        await harness.PublishAsync(Shop.Abandoned(customer: Everywhere));

        harness.Sent.Select(s => s.Body).Should().Equal(
            new PushMessage(null, "push"),
            new WebPushMessage("Panier", "web push") { Url = "https://shop.example.com/cart" },
            new EmailMessage("mail", null, "mail"),
            new SmsMessage("sms"),
            harness.SentOf<ChatMessage>().Single().Message,
            new OnSiteMessage("exit-intent", "on-site") { Title = "Attendez !", ActionText = "Payer", ActionUrl = "https://shop.example.com/pay" },
            new AudienceUpdate("abandoners", MembershipChange.Add),
            new AudienceUpdate("buyers", MembershipChange.Remove),
            new CrmListUpdate("coupon-eligible", MembershipChange.Add),
            new CrmListUpdate("newsletter-pending", MembershipChange.Remove),
            new WebhookMessage("https://crm.example.com/hooks/abandon", "{\"order\":\"order-1\",\"total\":49.90}"));
        harness.SentOf<ChatMessage>().Single().Message.QuickReplies.Should().Equal("Payer", "Aide");
        (await StepRecords(harness)).Select(r => r.Channel).Should().Equal(
            "push", "web-push", "email", "sms", "chat", "on-site", "ad-audience", "ad-audience", "crm-list", "crm-list", "webhook");
    }

    [Fact]
    public async Task ConstantMessage_GoesOutAlikeToEveryJourney_WhileATemplatedOneIsRenderedForEach()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Push(p => p.Title("Panier").Body("Votre panier vous attend").Data("screen", "cart"))
            .Then().Push(p => p.Body("Commande {{event.OrderId}}").Data("order", "{{event.OrderId}}"))
            .Build());

        await harness.PublishAsync(Shop.Abandoned("order-1"));
        await harness.PublishAsync(Shop.Abandoned("order-2"));
        await harness.PublishAsync(Shop.Abandoned("order-3"));

        var pushes = harness.SentOf<PushMessage>().Select(s => s.Message).ToList();
        var constant = pushes.Where(p => p.Title == "Panier").ToList();
        var templated = pushes.Where(p => p.Title is null).ToList();
        constant.Should().HaveCount(3).And.OnlyContain(p => p.Body == "Votre panier vous attend");
        constant.Select(p => p.Data["screen"]).Should().Equal("cart", "cart", "cart");
        templated.Select(p => p.Body).Should().Equal("Commande order-1", "Commande order-2", "Commande order-3");
        templated.Select(p => p.Data["order"]).Should().Equal("order-1", "order-2", "order-3");
    }

    [Theory]
    [InlineData("sms", "no phone number")]
    [InlineData("email", "no e-mail address")]
    [InlineData("push", "no app push token")]
    [InlineData("web-push", "no web push subscription")]
    [InlineData("chat", "no chat id")]
    [InlineData("ad-audience", "no e-mail address or phone number")]
    public async Task CustomerNotReachableOnTheChannel_IsSkippedWithAReason(string channel, string reason)
    {
        var nobody = new Customer("cust-nobody");
        var builder = Checkout();
        builder = channel switch
        {
            "sms" => builder.Sms(s => s.Text("x")),
            "email" => builder.Email(m => m.Subject("x").TextBody("x")),
            "push" => builder.Push(p => p.Body("x")),
            "web-push" => builder.WebPush(w => w.Title("x").Body("x")),
            "chat" => builder.Chat(c => c.Text("x")),
            _ => builder.AddToAudience("abandoners"),
        };
        using var harness = new JourneyTestHarness(builder.Build());

        await harness.PublishAsync(Shop.Abandoned(customer: nobody));

        harness.Sent.Should().BeEmpty();
        (await StepRecords(harness)).Should().ContainSingle().Which.Should().BeEquivalentTo(new { Kind = JourneyRecordKind.Skipped, Channel = channel, Detail = reason });
    }

    [Fact]
    public async Task ChannelsThatNeedNoContact_ReachEveryCustomer()
    {
        using var harness = new JourneyTestHarness(Checkout().AddToCrmList("l").OnSite(o => o.Body("x")).Webhook("https://h.example.com", _ => new { }).Build());

        await harness.PublishAsync(Shop.Abandoned(customer: new Customer("cust-nobody")));

        harness.Sent.Should().HaveCount(3);
    }

    [Fact]
    public async Task Fallback_SmsOrEmailIfThereIsNoPhoneNumber()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .Fallback("reminder", c => c
                .Sms(s => s.Text("Votre panier vous attend"))
                .Email(m => m.Subject("Votre panier vous attend").TextBody("Votre panier vous attend")))
            .Build());

        await harness.PublishAsync(Shop.Abandoned("with-phone", customer: Shop.Alice));
        await harness.PublishAsync(Shop.Abandoned("without-phone", customer: Shop.Alice with { Phone = null }));

        harness.Sent.Select(s => (s.Recipient.Phone is null ? "without-phone" : "with-phone", s.Body.GetType().Name)).Should().Equal(
            ("with-phone", nameof(SmsMessage)),
            ("without-phone", nameof(EmailMessage)));
        (await StepRecords(harness, "without-phone")).Select(r => (r.Kind, r.Channel, r.Detail)).Should().Equal(
            (JourneyRecordKind.Skipped, "sms", "no phone number"),
            (JourneyRecordKind.Sent, "email", null));
        harness.Sent[1].IdempotencyKey.Should().EndWith(":reminder:email");
    }

    [Fact]
    public async Task Fallback_WhenTheFirstChannelFailsForGood_UsesTheNext()
    {
        using var harness = new JourneyTestHarness(
            [Checkout().Fallback(c => c.Sms(s => s.Text("x")).Email(m => m.Subject("x").TextBody("x"))).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(new ScriptedChannel<SmsMessage>((_, _) => throw new PermanentDeliveryException("number not in service"))) });

        await harness.PublishAsync(Shop.Abandoned());

        harness.Sent.Select(s => s.StepId).Should().Equal("fallback-1");
        harness.SentOf<EmailMessage>().Should().ContainSingle();
        (await StepRecords(harness)).Select(r => (r.Kind, r.Channel, r.Detail)).Should().Equal(
            (JourneyRecordKind.Failed, "sms", "PermanentDeliveryException: number not in service"),
            (JourneyRecordKind.Sent, "email", null));
    }

    [Fact]
    public async Task Fallback_RetriesATransientFailureThenFallsBackWhenRetriesAreExhausted()
    {
        var sms = new ScriptedChannel<SmsMessage>((_, _) => throw new HttpRequestException("gateway 503"));
        using var harness = new JourneyTestHarness(
            [Checkout().Fallback(c => c.Sms(s => s.Text("x")).Email(m => m.Subject("x").TextBody("x"))).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(sms) });

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        sms.Attempts.Should().HaveCount(3).And.OnlyContain(a => a.IdempotencyKey == sms.Attempts[0].IdempotencyKey);
        (await StepRecords(harness)).Select(r => (r.At - FakeClock.DefaultStart, r.Kind, r.Channel)).Should().Equal(
            (Duration.Zero, JourneyRecordKind.RetryScheduled, "sms"),
            (1.Minutes(), JourneyRecordKind.RetryScheduled, "sms"),
            (3.Minutes(), JourneyRecordKind.Failed, "sms"),
            (3.Minutes(), JourneyRecordKind.Sent, "email"));
        harness.SentOf<EmailMessage>().Single().At.Should().Be(FakeClock.DefaultStart + 3.Minutes());
    }

    [Fact]
    public async Task TransientFailure_IsRetriedWithBackoff_ThenSucceedsWithTheSameIdempotencyKey()
    {
        var calls = 0;
        var push = new ScriptedChannel<PushMessage>((_, _) => ++calls < 3 ? throw new TimeoutException("provider slow") : ValueTask.FromResult(DeliveryReceipt.Sent()));
        using var harness = new JourneyTestHarness(
            [Checkout().After(5.Minutes()).Push(p => p.Body("x")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(push), ConfigureEngine = o => o.Retry = new RetryOptions { MaxAttempts = 5, FirstDelay = 30.Seconds(), BackoffFactor = 3 } });

        await harness.PublishAsync(Shop.Abandoned());
        await harness.AdvanceAsync(1.Hours());

        push.Attempts.Select(a => a.IdempotencyKey).Distinct().Should().ContainSingle();
        (await StepRecords(harness)).Select(r => (r.At - FakeClock.DefaultStart, r.Kind, r.Detail)).Should().Equal(
            (5.Minutes(), JourneyRecordKind.RetryScheduled, "attempt 1 of 5 failed: TimeoutException: provider slow; retrying in 30s"),
            (5.Minutes() + 30.Seconds(), JourneyRecordKind.RetryScheduled, "attempt 2 of 5 failed: TimeoutException: provider slow; retrying in 1m30s"),
            (7.Minutes(), JourneyRecordKind.Sent, null));
        (await harness.InstancesAsync("order-1")).Single().Status.Should().Be(JourneyStatus.Completed);
    }

    [Fact]
    public async Task FanOut_AppPushAndBrowserPushTogether()
    {
        using var harness = new JourneyTestHarness(Checkout()
            .FanOut("push-everywhere", c => c.Push(p => p.Body("app")).WebPush(w => w.Title("t").Body("browser")))
            .Build());

        await harness.PublishAsync(Shop.Abandoned("both", customer: Everywhere));
        await harness.PublishAsync(Shop.Abandoned("app-only", customer: Shop.Alice));

        harness.Sent.Where(s => s.Recipient == Everywhere).Select(s => s.Body.GetType().Name).Should().Equal(nameof(PushMessage), nameof(WebPushMessage));
        harness.Sent.Where(s => s.Recipient == Everywhere).Select(s => s.IdempotencyKey[(s.IdempotencyKey.IndexOf(':', StringComparison.Ordinal) + 1)..])
            .Should().Equal("push-everywhere:push", "push-everywhere:web-push");
        (await StepRecords(harness, "app-only")).Select(r => (r.Kind, r.Channel)).Should().Equal(
            (JourneyRecordKind.Sent, "push"), (JourneyRecordKind.Skipped, "web-push"));
    }

    [Fact]
    public async Task FanOut_RetriesOnlyTheChannelThatFailed()
    {
        var webCalls = 0;
        var web = new ScriptedChannel<WebPushMessage>((_, _) => ++webCalls == 1 ? throw new HttpRequestException("503") : ValueTask.FromResult(DeliveryReceipt.Sent()));
        using var harness = new JourneyTestHarness(
            [Checkout().FanOut(c => c.Push(p => p.Body("app")).WebPush(w => w.Title("t").Body("browser"))).Sms(s => s.Text("next")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(web) });

        await harness.PublishAsync(Shop.Abandoned(customer: Everywhere));
        await harness.AdvanceAsync(1.Hours());

        harness.Sent.Select(s => (s.Body.GetType().Name, s.At - FakeClock.DefaultStart)).Should().Equal(
            (nameof(PushMessage), Duration.Zero),
            (nameof(WebPushMessage), 1.Minutes()),
            (nameof(SmsMessage), 1.Minutes()));
    }

    [Fact]
    public async Task Consent_AChannelTheCustomerOptedOutOfIsSkipped_AndFallbackMovesOn()
    {
        var consent = new OptOuts(("cust-alice", "sms"));
        using var harness = new JourneyTestHarness(
            [Checkout().Fallback(c => c.Sms(s => s.Text("x")).Email(m => m.Subject("x").TextBody("x"))).Build()],
            new JourneyTestHarnessOptions { Consent = consent });

        await harness.PublishAsync(Shop.Abandoned());

        (await StepRecords(harness)).Select(r => (r.Kind, r.Channel, r.Detail)).Should().Equal(
            (JourneyRecordKind.Skipped, "sms", "customer opted out of sms"),
            (JourneyRecordKind.Sent, "email", null));
    }

    [Fact]
    public async Task Consent_IsCheckedAtSendTime_SoALateOptOutStopsAScheduledMessage()
    {
        var consent = new OptOuts();
        using var harness = new JourneyTestHarness([Checkout().After(1.Hours()).Email(m => m.Subject("x").TextBody("x")).Build()], new JourneyTestHarnessOptions { Consent = consent });

        await harness.PublishAsync(Shop.Abandoned());
        consent.Add("cust-alice", "email");
        await harness.AdvanceAsync(2.Hours());

        harness.Sent.Should().BeEmpty();
    }

    [Fact]
    public async Task SlowChannel_TimesOutOnTheInjectedClock_AndIsRetried()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var push = new ScriptedChannel<PushMessage>(async (_, token) =>
        {
            if (++calls == 1)
            {
                started.SetResult();
                // Hangs until the send's time limit cancels it.
                await new TaskCompletionSource().Task.WaitAsync(token);
            }

            return DeliveryReceipt.Sent();
        });
        using var harness = new JourneyTestHarness(
            [Checkout().After(5.Minutes()).Push(p => p.Body("x")).Build()],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(push), ConfigureEngine = o => o.SendTimeout = 30.Seconds() });
        await harness.PublishAsync(Shop.Abandoned());

        var advancing = harness.AdvanceAsync(10.Minutes());
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        harness.Clock.Advance(30.Seconds());
        await advancing.WaitAsync(TimeSpan.FromSeconds(10));

        (await StepRecords(harness)).Select(r => (r.Kind, r.Detail)).Should().Equal(
            (JourneyRecordKind.RetryScheduled, "attempt 1 of 3 failed: timed out after 30s; retrying in 1m"),
            (JourneyRecordKind.Sent, null));
    }

    [Fact]
    public async Task SlowChannel_DoesNotHoldUpOtherJourneys()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var smsSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowPush = new ScriptedChannel<PushMessage>(async (_, _) =>
        {
            await release.Task;
            return DeliveryReceipt.Sent();
        });
        var sms = new ScriptedChannel<SmsMessage>((_, _) =>
        {
            smsSent.TrySetResult();
            return ValueTask.FromResult(DeliveryReceipt.Sent());
        });
        var pushJourney = Checkout().Named("slow").Push(p => p.Body("x")).Build();
        var smsJourney = Checkout().Named("fast").Sms(s => s.Text("x")).Build();
        using var harness = new JourneyTestHarness(
            [pushJourney, smsJourney],
            new JourneyTestHarnessOptions { ConfigureChannels = c => c.Use(slowPush).Use(sms), ConfigureEngine = o => o.MaxConcurrentSteps = 4 });
        await harness.Engine.PublishAsync(Shop.Abandoned());

        var running = harness.Engine.RunDueAsync().AsTask();
        await smsSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var pushStillSending = !running.IsCompleted;
        release.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        pushStillSending.Should().BeTrue();
        harness.Sent.Select(s => s.JourneyName).Should().Equal("fast", "slow");
    }

    [Fact]
    public void SmsMessage_ReportsEncodingAndSegments()
    {
        new SmsMessage(new string('a', 160)).Should().Match<SmsMessage>(m => m.Encoding == SmsEncoding.Gsm7 && m.Segments == 1);
        new SmsMessage(new string('a', 161)).Segments.Should().Be(2);
        new SmsMessage(new string('a', 306)).Segments.Should().Be(2);
        new SmsMessage(new string('a', 307)).Segments.Should().Be(3);
        new SmsMessage(new string('€', 80)).Should().Match<SmsMessage>(m => m.Encoding == SmsEncoding.Gsm7 && m.Segments == 1);
        new SmsMessage(new string('€', 81)).Segments.Should().Be(2);
        new SmsMessage("Votre commande n'est pas payée ⏳").Should().Match<SmsMessage>(m => m.Encoding == SmsEncoding.Ucs2 && m.Segments == 1);
        new SmsMessage("Payez dans les 30 minutes : 10 % de remise SUPPLÉMENTAIRE !").Encoding.Should().Be(SmsEncoding.Gsm7, "É is in GSM-7");
        new SmsMessage("Fête des soldes").Encoding.Should().Be(SmsEncoding.Ucs2, "ê is not in GSM-7");
        new SmsMessage("é è à ù ì ò Ç É ñ ü").Encoding.Should().Be(SmsEncoding.Gsm7);
        new SmsMessage(new string('é', 70) + "⏳").Segments.Should().Be(2);
    }

    [Fact]
    public void Customer_ContactKinds_FollowTheFieldsThatAreSet()
    {
        new Customer("c").ContactKinds.Should().Be(ContactKinds.None);
        Everywhere.ContactKinds.Should().Be(ContactKinds.Email | ContactKinds.Phone | ContactKinds.AppPush | ContactKinds.WebPush | ContactKinds.Chat);
        (Shop.Alice with { Email = " " }).ContactKinds.HasFlag(ContactKinds.Email).Should().BeFalse();
    }

    [Fact]
    public async Task Preview_RendersEveryChannelOfAStepWithoutSending()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecoveryBuilder()
            .Then().AfterStart(2.Days()).Fallback("last-call", c => c.Sms(s => s.Text("SMS {{event.OrderId}}")).Email(m => m.Subject("Mail {{event.OrderId}}").TextBody("x")))
            .Build());

        var push = await harness.Engine.PreviewAsync("checkout-recovery", "push-reminder", Shop.Abandoned("A-42"));
        var fallback = await harness.Engine.PreviewAsync("checkout-recovery", "last-call", Shop.Abandoned("A-42"), Shop.Alice with { Phone = null });

        push.RenderedAt.Should().Be(harness.Clock.Now + 5.Minutes());
        push.Messages.Should().ContainSingle().Which.Message.Should().BeOfType<PushMessage>()
            .Which.Body.Should().Contain("Il ne vous reste que 15 minutes");
        fallback.Messages.Select(m => (m.Channel, (m.Message as EmailMessage)?.Subject, m.SkipReason)).Should().Equal(
            ("sms", null, "no phone number"),
            ("email", "Mail A-42", null));
        harness.Sent.Should().BeEmpty();
        (await harness.Store.FindAsync(new JourneyInstanceQuery(), default)).Should().BeEmpty();
    }

    [Fact]
    public async Task Preview_WithAnUnknownStepOrTheWrongEvent_FailsClearly()
    {
        using var harness = new JourneyTestHarness(TestJourneys.CheckoutRecovery());

        await harness.Engine.Invoking(e => e.PreviewAsync("checkout-recovery", "nope", Shop.Abandoned()).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithMessage("Journey 'checkout-recovery' has no step 'nope'.*");
        await harness.Engine.Invoking(e => e.PreviewAsync("checkout-recovery", "push-reminder", new OrderPaid("x", 1m)).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithMessage("Journey 'checkout-recovery' starts on CheckoutAbandoned, not OrderPaid.*");
        await harness.Engine.Invoking(e => e.PreviewAsync("nope", "push-reminder", Shop.Abandoned()).AsTask())
            .Should().ThrowAsync<ArgumentException>().WithMessage("No journey is named 'nope'.*");
    }

    [Fact]
    public void Group_WithTheSameChannelTwice_OrNoChannel_Fails()
    {
        FluentActions.Invoking(() => Checkout().FanOut("twice", c => c.Push(p => p.Body("a")).Push(p => p.Body("b"))))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'channels', step 'twice': the push channel is listed twice*");
        FluentActions.Invoking(() => Checkout().Fallback("empty", _ => { }))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'channels', step 'empty': the step lists no channel");
        FluentActions.Invoking(() => Checkout().Webhook("not a url", _ => new { }, "hook"))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'channels', step 'hook': the webhook URL 'not a url' is not an absolute http(s) URL");
        FluentActions.Invoking(() => Checkout().AddToCrmList(" ", "list"))
            .Should().Throw<JourneyDefinitionException>().WithMessage("Journey 'channels', step 'list': the crm-list name is empty");
    }

    [Fact]
    public void Definition_ExposesEachStepsChannelsAndMode()
    {
        var journey = Checkout()
            .Fallback("a", c => c.Sms(s => s.Text("x")).Email(m => m.Subject("x").TextBody("x")))
            .FanOut("b", c => c.Push(p => p.Body("x")).WebPush(w => w.Title("x").Body("x")))
            .Do("c", (_, _) => ValueTask.CompletedTask)
            .Build();

        journey.Steps.Select(s => (s.Id, s.Mode, s.Channel, string.Join(",", s.Channels))).Should().Equal(
            ("a", ChannelMode.Fallback, "sms|email", "sms,email"),
            ("b", ChannelMode.FanOut, "push+web-push", "push,web-push"),
            ("c", ChannelMode.Single, "action", "action"));
    }

    [Fact]
    public void WebhookPayload_IsWrittenAsCamelCaseJson()
    {
        var json = JsonSerializer.Serialize(new { OrderId = "1", Total = 2.5m }, JourneyJson.DefaultOptions);

        json.Should().Be("{\"orderId\":\"1\",\"total\":2.5}");
    }

    private sealed class OptOuts(params (string Customer, string Channel)[] optOuts) : IConsentChecker
    {
        private readonly HashSet<(string, string)> _optOuts = [.. optOuts];

        public void Add(string customer, string channel) => _optOuts.Add((customer, channel));

        public ValueTask<bool> MayContactAsync(Customer customer, string channel, CancellationToken cancellationToken) =>
            ValueTask.FromResult(!_optOuts.Contains((customer.Id, channel)));
    }
}
