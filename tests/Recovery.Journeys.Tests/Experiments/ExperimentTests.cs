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

namespace Recovery.Journeys.Tests.Experiments;

public sealed class ExperimentTests
{
    private static JourneyBuilder<CheckoutAbandoned> Checkout(string name = "checkout-recovery") =>
        Journey.When<CheckoutAbandoned>().Named(name).CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer).ExitWhen<OrderPaid>(e => e.OrderId, x => x.WithValue(e => e.Amount));

    /// <summary>An A/B test of the first push's text, then a common e-mail.</summary>
    internal static JourneyDefinition PushTextTest(string name = "checkout-recovery") => Checkout(name)
        .After(5.Minutes()).Experiment("push-text", e => e
            .Variant("A", 50, p => p.Push("push-urgent", m => m.Body("Il ne vous reste que 15 minutes !")))
            .Variant("B", 50, p => p.Push("push-helpful", m => m.Body("Un problème lors du paiement ? Nous sommes là."))))
        .Then().After(1.Hours()).Email("email-reminder", m => m.Subject("Votre commande").TextBody("x"))
        .Build();

    private static CheckoutAbandoned Order(string orderId, string customerId) =>
        Shop.Abandoned(orderId, customer: new Customer(customerId) { Email = $"{customerId}@example.com", PushToken = "t" });

    [Fact]
    public void Experiment_BuildsAForkWhosePathsMeetAfterIt()
    {
        var journey = PushTextTest();

        var fork = journey.FindStep("push-text")!;
        fork.Timing.Should().Be(new StepTiming(StepTimingAnchor.PreviousStep, 5.Minutes()));
        fork.Transitions.Should().Equal(new StepTransition("A 50%", "push-urgent"), new StepTransition("B 50%", "push-helpful"));
        journey.FindStep("push-urgent")!.NextStepId.Should().Be("email-reminder");
        journey.FindStep("push-helpful")!.NextStepId.Should().Be("email-reminder");
        journey.Experiments.Should().ContainSingle().Which.ToString().Should().Be("push-text (A 50%, B 50%)");
        journey.ToMermaid().Should().Contain("|\"A 50%\"|").And.Contain("|\"B 50%\"|");
        journey.Describe().Should().Contain("push-text (experiment, +5m after previous step) A 50% -> push-urgent, B 50% -> push-helpful");
    }

    [Fact]
    public void Experiment_WithAnEmptyVariant_GoesStraightOnForThatShare()
    {
        var journey = Checkout()
            .Experiment("extra-sms", e => e.Variant("control", 90, _ => { }).Variant("sms", 10, p => p.Sms(m => m.Text("x"))))
            .Then().After(1.Hours()).Push(p => p.Body("y"))
            .Build();

        journey.FindStep("extra-sms")!.Transitions.Select(t => t.TargetStepId).Should().Equal("push-1", "sms-1");
        journey.FindStep("sms-1")!.NextStepId.Should().Be("push-1");
    }

    [Fact]
    public void Experiment_NestsWithIfAndWaitFor()
    {
        var journey = Checkout()
            .Experiment("timing", e => e
                .Variant("current", 90, p => p.After(1.Hours()).Email("email-late", m => m.Subject("s").TextBody("x")))
                .Variant("sooner", 10, p => p
                    .If(c => c.Customer!.Phone is not null, "has-phone").Then(t => t.Sms("sms-soon", m => m.Text("x"))).EndIf()
                    .WaitFor<OrderCancelled>(x => x.OrderId, 1.Hours(), "wait-cancel").OnEvent(_ => { }).OnTimeout(t => t.Email("email-soon", m => m.Subject("s").TextBody("x")))))
            .Then().Push("push-last", p => p.Body("z"))
            .Build();

        journey.FindStep("has-phone")!.Transitions.Select(t => t.TargetStepId).Should().Equal("sms-soon", "wait-cancel");
        journey.FindStep("wait-cancel")!.Transitions.Select(t => t.TargetStepId).Should().Equal("push-last", "email-soon");
        journey.FindStep("email-soon")!.NextStepId.Should().Be("push-last");
        journey.FindStep("email-late")!.NextStepId.Should().Be("push-last");
    }

    [Theory]
    [InlineData(50, 40, "the variant weights add up to 90 % (A 50 + B 40), not 100 %")]
    [InlineData(60, 50, "the variant weights add up to 110 % (A 60 + B 50), not 100 %")]
    [InlineData(0, 100, "the variant 'A' has a weight of 0 %; a weight is a share of customers from 1 to 99 %")]
    public void Experiment_WeightsThatDoNotAddUp_FailNamingTheJourneyAndTheStep(int a, int b, string problem)
    {
        var build = () => Checkout()
            .Experiment("push-text", e => e.Variant("A", a, p => p.Push(m => m.Body("x"))).Variant("B", b, p => p.Push(m => m.Body("y"))))
            .Build();

        build.Should().Throw<JourneyDefinitionException>().Which.Message.Should().Be($"Journey 'checkout-recovery', step 'push-text': {problem}");
    }

    [Fact]
    public void Experiment_DuplicateVariantNames_Fail()
    {
        var build = () => Checkout()
            .Experiment("push-text", e => e.Variant("A", 50, p => p.Push(m => m.Body("x"))).Variant("A", 50, p => p.Push(m => m.Body("y"))));

        build.Should().Throw<JourneyDefinitionException>().Which.Message.Should().Be(
            "Journey 'checkout-recovery', step 'push-text': the variant 'A' is declared twice; variant names must be unique");
    }

    [Fact]
    public void Experiment_WithOneVariant_OrABadName_Fails()
    {
        var one = () => Checkout().Experiment("push-text", e => e.Variant("A", 99, p => p.Push(m => m.Body("x"))));
        var badName = () => Checkout().Experiment("push-text", e => e.Variant("A B", 50, _ => { }));
        var sameIdAsAStep = () => Checkout().Push("push-text", m => m.Body("x")).Experiment("push-text", e => e.Variant("A", 50, _ => { }).Variant("B", 50, _ => { }));

        one.Should().Throw<JourneyDefinitionException>().WithMessage("*step 'push-text': an experiment needs at least two variants, it has 1");
        badName.Should().Throw<JourneyDefinitionException>().WithMessage("*step 'push-text': the variant name 'A B' is invalid*");
        sameIdAsAStep.Should().Throw<JourneyDefinitionException>().WithMessage("*step 'push-text': another step already has this id*");
    }

    [Fact]
    public async Task Experiment_SendsEachCustomerDownTheirVariant_AndRecordsItOnTheInstanceAndTheTimeline()
    {
        var journey = PushTextTest();
        using var harness = new JourneyTestHarness(journey);
        var customers = Enumerable.Range(1, 40).Select(i => $"customer-{i}").ToList();

        foreach (var customer in customers)
        {
            await harness.PublishAsync(Order($"order-{customer}", customer));
        }

        await harness.AdvanceAsync(10.Minutes());

        foreach (var customer in customers)
        {
            var variant = journey.VariantOf("push-text", customer);
            var instance = (await harness.InstancesAsync($"order-{customer}")).Single();
            instance.Variables.Should().Contain("experiment.push-text", variant);
            (await harness.TimelineAsync($"order-{customer}")).Should().ContainSingle(r => r.Kind == JourneyRecordKind.Assigned)
                .Which.Should().Match<JourneyRecord>(r => r.StepId == "push-text" && r.Channel == "experiment" && r.Detail == variant);
            harness.Sent.Where(s => s.Recipient.Id == customer).Select(s => s.StepId).Should().Equal(variant == "A" ? "push-urgent" : "push-helpful");
        }

        customers.Select(c => journey.VariantOf("push-text", c)).Distinct().Should().BeEquivalentTo(["A", "B"], "40 customers fall on both sides");
    }

    [Fact]
    public async Task Experiment_SameCustomer_GetsTheSameVariantInEveryEngineAndEveryStore()
    {
        var variants = new List<string>();
        for (var engine = 0; engine < 3; engine++)
        {
            // A new engine and a new store each time, as in another process: nothing is shared but the definition's text.
            using var harness = new JourneyTestHarness(PushTextTest());
            await harness.PublishAsync(Order($"order-{engine}", "customer-42"));
            await harness.AdvanceAsync(10.Minutes());
            variants.Add((await harness.InstancesAsync($"order-{engine}")).Single().Variables["experiment.push-text"]);
        }

        variants.Should().OnlyContain(v => v == variants[0]);
    }

    [Fact]
    public async Task Experiment_AfterARestart_ANewEngineOnTheSameStoreKeepsTheVariant()
    {
        var clock = new FakeClock();
        var store = new InMemoryJourneyStore();
        var channels = new RecordingChannels(clock);
        var first = new JourneyEngine([PushTextTest()], store, new JourneyHostServices { Channels = channels }, clock, new JourneyEngineOptions { MaxConcurrentSteps = 1 });

        await first.PublishAsync(Order("order-1", "customer-7"));
        clock.Advance(5.Minutes());
        await first.RunDueAsync();
        var assigned = (await store.FindAsync(new JourneyInstanceQuery(CorrelationKey: "order-1"), default)).Single().Variables["experiment.push-text"];

        // The process restarts: a new engine, the same store.
        var second = new JourneyEngine([PushTextTest()], store, new JourneyHostServices { Channels = channels }, clock, new JourneyEngineOptions { MaxConcurrentSteps = 1 });
        clock.Advance(1.Hours());
        await second.RunDueAsync();

        channels.Sent.Select(s => s.StepId).Should().Equal(assigned == "A" ? "push-urgent" : "push-helpful", "email-reminder");
    }

    [Fact]
    public void VariantOf_IsAStableHash_TheSameInEveryProcess()
    {
        // string.GetHashCode() would differ between processes; these values were computed by another program.
        var journey = PushTextTest();
        var actual = new[] { "customer-1", "customer-2", "customer-3", "customer-4", "customer-5", "customer-6", "customer-7", "customer-8" }
            .Select(c => journey.VariantOf("push-text", c));

        actual.Should().Equal(StableVariants);
    }

    [Fact]
    public void VariantOf_DependsOnTheJourneyAndTheExperiment_NotOnlyOnTheCustomer()
    {
        var one = PushTextTest("journey-one");
        var other = PushTextTest("journey-two");
        var customers = Enumerable.Range(0, 2_000).Select(i => $"c{i}").ToList();

        var same = customers.Count(c => one.VariantOf("push-text", c) == other.VariantOf("push-text", c));

        same.Should().BeInRange(900, 1_100, "assignments of two journeys are independent: about half agree by chance");
    }

    [Theory]
    [InlineData(50, 50)]
    [InlineData(90, 10)]
    [InlineData(34, 66)]
    public void VariantOf_Over100kCustomers_HonoursTheWeightsWithinStatisticalTolerance(int a, int b)
    {
        const int Customers = 100_000;
        var journey = Checkout().Experiment("rollout", e => e.Variant("A", a, p => p.Push(m => m.Body("x"))).Variant("B", b, p => p.Push(m => m.Body("y")))).Build();

        var countA = Enumerable.Range(0, Customers).Count(i => journey.VariantOf("rollout", $"customer-{i}") == "A");

        // A binomial count: within 5 standard deviations fails by chance about once in 1.7 million runs.
        var expected = Customers * a / 100.0;
        var sigma = Math.Sqrt(Customers * (a / 100.0) * (b / 100.0));
        countA.Should().BeInRange((int)(expected - (5 * sigma)), (int)(expected + (5 * sigma)));
    }

    [Fact]
    public void VariantOf_UnknownExperiment_Throws()
    {
        var ask = () => PushTextTest().VariantOf("email-text", "c");

        ask.Should().Throw<ArgumentException>().WithMessage("Journey 'checkout-recovery' has no experiment 'email-text'.*");
    }

    // Computed outside .NET: SHA-256 of "checkout-recovery\npush-text\ncustomer-N", first 8 bytes big-endian, modulo
    // 10,000; below 5,000 is A (python3: int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % 10000).
    private static readonly string[] StableVariants = ["B", "A", "B", "A", "A", "B", "A", "A"];
}
