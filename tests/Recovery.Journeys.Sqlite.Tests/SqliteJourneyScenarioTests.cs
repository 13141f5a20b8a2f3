using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;
using Xunit.Abstractions;

namespace Recovery.Journeys.Sqlite.Tests;

/// <summary>Whole journeys on a SQLite file, through a restart of the app.</summary>
public sealed class SqliteJourneyScenarioTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ThreeStepJourney_OnSqlite_SendsEachStepOnceAtItsTime()
    {
        await using var store = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        using var harness = new JourneyTestHarness([Reminders()], new JourneyTestHarnessOptions { Store = store });
        var start = harness.Clock.Now;

        await harness.PublishAsync(new CartAbandoned("order-1", Alice, start));
        await harness.AdvanceAsync(2.Days());

        harness.Sent.Select(s => (s.StepId, s.At - start)).Should().Equal(
            ("push-reminder", 5.Minutes()), ("email-reminder", 1.Hours()), ("push-extra-offer", 24.Hours()));
        harness.SentOf<EmailMessage>().Single().Message.Subject.Should().Be("Bonjour Zoë, commande order-1");
        (await harness.TimelineAsync("order-1")).Select(r => r.Kind).Should().Equal(
            JourneyRecordKind.Entered, JourneyRecordKind.Sent, JourneyRecordKind.Sent, JourneyRecordKind.Sent, JourneyRecordKind.Completed);
    }

    [Fact]
    public async Task AppRestartsBetweenSteps_NothingIsLostAndNothingIsSentTwice()
    {
        Instant stoppedAt;
        IReadOnlyList<SentMessage> sentBefore;
        await using (var store = new SqliteJourneyStore(_database.Path, TimeProvider.System))
        {
            using var before = new JourneyTestHarness([Reminders()], new JourneyTestHarnessOptions { Store = store });
            await before.PublishAsync(new CartAbandoned("order-1", Alice, before.Clock.Now));
            await before.PublishAsync(new CartAbandoned("order-2", Alice with { Id = "customer-2" }, before.Clock.Now));
            await before.AdvanceAsync(30.Minutes());
            await before.PublishAsync(new OrderPaid("order-2"));
            stoppedAt = before.Clock.Now;
            sentBefore = before.Sent;
        }

        await using var reopened = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        using var after = new JourneyTestHarness([Reminders()], new JourneyTestHarnessOptions { Store = reopened, Start = stoppedAt });
        await after.AdvanceAsync(2.Days());

        sentBefore.Select(s => s.IdempotencyKey).Should().HaveCount(2);
        after.Sent.Select(s => (s.Recipient.Id, s.StepId)).Should().Equal(("customer-1", "email-reminder"), ("customer-1", "push-extra-offer"));
        sentBefore.Concat(after.Sent).Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems();
        (await after.InstancesAsync("order-2")).Single().Status.Should().Be(JourneyStatus.Converted);
    }

    [Fact]
    public async Task ManyJourneys_ConcurrentSteps_EachStepRunsOnceAndIsRecorded()
    {
        const int Journeys = 300;
        var clock = new FakeClock();
        await using var store = new SqliteJourneyStore(_database.Path, TimeProvider.System);
        var channels = new RecordingChannels(clock);
        var engine = new JourneyEngine([Reminders()], store, new JourneyHostServices { Channels = channels }, clock, new JourneyEngineOptions { MaxConcurrentSteps = 8 });
        for (var i = 0; i < Journeys; i++)
        {
            await engine.PublishAsync(new CartAbandoned($"order-{i}", Alice with { Id = $"customer-{i}" }, clock.Now));
        }

        var stopwatch = Stopwatch.StartNew();
        clock.Advance(1.Hours());
        var ran = await engine.RunDueAsync();
        stopwatch.Stop();

        ran.Should().Be(2 * Journeys);
        channels.Sent.Select(s => s.IdempotencyKey).Should().OnlyHaveUniqueItems().And.HaveCount(2 * Journeys);
        var records = new List<JourneyRecord>();
        await foreach (var record in store.ReadRecordsAsync(new JourneyRecordQuery(), CancellationToken.None))
        {
            records.Add(record);
        }

        records.Count(r => r.Kind == JourneyRecordKind.Sent).Should().Be(2 * Journeys);
        output.WriteLine($"{ran} steps (claim, send, synced commit) on SQLite in {stopwatch.ElapsedMilliseconds} ms: {ran / stopwatch.Elapsed.TotalSeconds:F0} steps/s.");
    }

    [Fact]
    public async Task UseSqliteStore_RegistersTheStore()
    {
        var services = new ServiceCollection();
        services.AddRecoveryJourneys(journeys => journeys.UseSqliteStore(_database.Path));
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IJourneyStore>();

        store.Should().BeOfType<SqliteJourneyStore>().Which.Path.Should().Be(_database.Path);
        provider.GetRequiredService<SqliteJourneyStore>().Should().BeSameAs(store);
    }

    [Fact]
    public void UseSqliteStore_WithoutPath_FailsValidationNamingTheOption()
    {
        var services = new ServiceCollection();
        services.AddRecoveryJourneys(journeys => journeys.UseSqliteStore(o => o.Path = " "));
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<IOptions<SqliteJourneyStoreOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>().WithMessage("*SqliteJourneyStoreOptions.Path must name the SQLite file*");
    }

    private static Customer Alice { get; } = new("customer-1") { Name = "Zoë", Email = "zoe@example.com", PushToken = "push-token-1" };

    private static JourneyDefinition Reminders() =>
        Journey.When<CartAbandoned>()
            .Named("sqlite-reminders")
            .CorrelateBy(e => e.OrderId)
            .ForCustomer(e => e.Customer)
            .ExitWhen<OrderPaid>(e => e.OrderId)
            .AfterStart(5.Minutes()).Push("push-reminder", p => p.Title("Commande {{event.OrderId}}").Body("Votre commande n'est pas payée."))
            .Then().AfterStart(1.Hours()).Email("email-reminder", m => m.Subject("Bonjour {{customer.name}}, commande {{event.OrderId}}").HtmlBody("<p>Bonjour</p>"))
            .Then().AfterStart(24.Hours()).Push("push-extra-offer", p => p.Body("10 % de remise supplémentaire"))
            .Build();

    public sealed record CartAbandoned(string OrderId, Customer Customer, Instant AbandonedAt);

    public sealed record OrderPaid(string OrderId);
}
