using System.Text.RegularExpressions;
using CheckoutRecovery.Journeys;
using CheckoutRecovery.Simulation;
using NodaTime;
using Recovery.Journeys;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace CheckoutRecovery.Tests.Documentation;

/// <summary>Runs the snippets of docs/experiments.md and checks what the page says they give.</summary>
public sealed partial class ExperimentsSnippetsTests(DefaultSimulation simulation) : IClassFixture<DefaultSimulation>
{
    private static readonly string Page = File.ReadAllText(Path.Combine(DocumentationSnippetsTests.RepoRoot, "docs/experiments.md")).ReplaceLineEndings("\n");

    private static CheckoutAbandoned Order(string orderId, string customerId) =>
        new(orderId, new Customer(customerId) { Email = $"{customerId}@example.com", PushToken = "t" }, [], 80m, 45);

    [Fact]
    public async Task PushTextTest_EachCustomerGetsTheVariantVariantOfNames()
    {
        var journey = ExperimentsSnippets.PushTextTest();
        using var harness = new JourneyTestHarness(journey);

        for (var i = 0; i < 20; i++)
        {
            await harness.PublishAsync(Order($"order-{i}", $"customer-{i}"));
        }

        await harness.AdvanceAsync(10.Minutes());

        harness.Sent.Should().HaveCount(20).And.OnlyContain(s =>
            s.StepId == (ExperimentsSnippets.VariantShownOnTheWebsite(journey, s.Recipient.Id) == "urgent" ? "push-urgent" : "push-helpful"));
        harness.Sent.Select(s => s.StepId).Distinct().Should().HaveCount(2);
    }

    [Fact]
    public void WeightsThatDoNotAddUp_FailAsThePageSays()
    {
        var build = () => Journey.When<CheckoutAbandoned>().Named("checkout-recovery").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer)
            .Experiment("push-text", e => e.Variant("A", 50, p => p.Push(m => m.Body("x"))).Variant("B", 40, p => p.Push(m => m.Body("y"))));

        var message = build.Should().Throw<JourneyDefinitionException>().Which.Message;
        Page.Should().Contain($"(`{message}`)");
    }

    [Fact]
    public async Task SoonerEmailRollout_TenPercentGetTheEmailAfterTwentyMinutes()
    {
        var journey = ExperimentsSnippets.SoonerEmailRollout();
        using var harness = new JourneyTestHarness(journey);

        for (var i = 0; i < 300; i++)
        {
            await harness.PublishAsync(Order($"order-{i}", $"customer-{i}"));
        }

        await harness.AdvanceAsync(2.Hours());

        var sooner = harness.SentOf<EmailMessage>().Count(s => s.StepId == "email-after-20m");
        sooner.Should().BeInRange(15, 50, "about 10 % of 300");
        harness.SentOf<EmailMessage>().Where(s => s.StepId == "email-after-20m").Should().OnlyContain(s => s.At - FakeClock.DefaultStart == 20.Minutes());
    }

    [Fact]
    public async Task WithHoldout_HoldoutGetsNothing_AndTheActionSkipsThem()
    {
        var journey = ExperimentsSnippets.WithHoldout();
        var customers = Enumerable.Range(0, 60).Select(i => $"customer-{i}").ToList();
        using var harness = new JourneyTestHarness(journey);

        foreach (var customer in customers)
        {
            await harness.PublishAsync(Order($"holdout-doc-{customer}", customer));
        }

        await harness.AdvanceAsync(3.Hours());

        var held = customers.Where(journey.IsInHoldout).ToList();
        held.Should().NotBeEmpty();
        harness.Sent.Select(s => s.Recipient.Id).Distinct().Should().BeEquivalentTo(customers.Except(held));
        lock (Crm.Tags)
        {
            Crm.Tags.Where(t => t.OrderId.StartsWith("holdout-doc-", StringComparison.Ordinal)).Select(t => t.OrderId)
                .Should().BeEquivalentTo(customers.Except(held).Select(c => $"holdout-doc-{c}"));
        }
    }

    [Fact]
    public void WithAttributionWindow_IsThreeDays_AndTheDefaultIsADay()
    {
        ExperimentsSnippets.WithAttributionWindow().AttributionWindow.Should().Be(3.Days());
        JourneyDefinition.DefaultAttributionWindow.Should().Be(1.Days());
    }

    [Fact]
    public async Task Reports_LastWeekAndFromAnyStore_AndExport()
    {
        using var harness = new JourneyTestHarness(ExperimentsSnippets.PushTextTest());
        for (var i = 0; i < 10; i++)
        {
            await harness.PublishAsync(Order($"order-{i}", $"customer-{i}"));
        }

        await harness.AdvanceAsync(10.Minutes());
        await harness.PublishAsync(new OrderPaid("order-3", 80m));
        await harness.AdvanceAsync(1.Hours());

        var report = await ExperimentsSnippets.LastWeek(harness.Engine, harness.Clock.Now);
        var same = await ExperimentsSnippets.FromAnyStore(harness.Store, ExperimentsSnippets.PushTextTest());
        var directory = Directory.CreateTempSubdirectory("experiments-doc").FullName;
        ExperimentsSnippets.Export(report, directory);

        (report.Entered, report.Converted, report.RecoveredRevenue).Should().Be((10, 1, 80m));
        (same.Entered, same.Converted, same.ConfidenceLevel).Should().Be((10, 1, 0.99));
        Directory.GetFiles(directory).Select(Path.GetFileName).Should().BeEquivalentTo(["report.csv", "report.json", "funnel.svg", "variants.svg", "report.html"]);
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void CompareByHand_GivesWhatThePageSays()
    {
        var uplift = ExperimentsSnippets.CompareByHand()!;

        Page.Should().Contain("gives a difference of +4.7 points, z = 3.13, p = 0.0018, 95 % interval +1.8 to +7.6 points: significant.");
        (Math.Round(uplift.Difference * 100, 1), Math.Round(uplift.Z, 2), Math.Round(uplift.PValue, 4)).Should().Be((4.7, 3.13, 0.0018));
        (Math.Round(uplift.Lower * 100, 1), Math.Round(uplift.Upper * 100, 1), uplift.IsSignificant).Should().Be((1.8, 7.6, true));
    }

    [Fact]
    public void SampleReportOnThePage_IsWhatTheSamplePrints()
    {
        using var output = new StringWriter();
        ReportWriter.Write(simulation.Report, output);
        var printed = output.ToString().ReplaceLineEndings("\n").Split('\n').ToHashSet(StringComparer.Ordinal);

        var block = Page[Page.IndexOf("\n```\n== 4.", StringComparison.Ordinal)..];
        var lines = block[5..block.IndexOf("\n```\n", 5, StringComparison.Ordinal)].Split('\n');

        lines.Should().HaveCountGreaterThan(15).And.OnlyContain(l => printed.Contains(l), "the page quotes the sample's output, trimmed");
    }

    [Fact]
    public void MermaidDiagramOnThePage_IsTheSampleJourneys()
    {
        var diagram = MermaidBlock().Match(Page).Groups[1].Value;

        diagram.Should().Be(CheckoutRecoveryJourney.Build(new OfferDesk()).ToMermaid());
    }

    [Fact]
    public void PicturesOnThePage_Exist()
    {
        foreach (Match image in ImageLink().Matches(Page))
        {
            File.Exists(Path.Combine(DocumentationSnippetsTests.RepoRoot, "docs", image.Groups[1].Value)).Should().BeTrue(image.Value);
        }

        ImageLink().Matches(Page).Should().HaveCount(3);
    }

    [GeneratedRegex("```mermaid\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();

    [GeneratedRegex(@"!\[[^\]]*\]\(([^)]+)\)")]
    private static partial Regex ImageLink();
}
