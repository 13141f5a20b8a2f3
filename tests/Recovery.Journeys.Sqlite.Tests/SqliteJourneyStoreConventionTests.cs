using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Storage;
using Recovery.Journeys.TestSupport;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.Sqlite.Tests;

/// <summary>
/// The adapters' conventions on the SQLite store: the constructor checks its options and keeps a copy of every one,
/// <c>UseSqliteStore</c> passes every option to it, with the container's clock and loggers.
/// </summary>
public sealed class SqliteJourneyStoreConventionTests : IDisposable
{
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Constructor_KeepsACopyOfEveryOption_ChangingTheCallersObjectAfterwardsHasNoEffect()
    {
        var options = EveryOption();
        OptionsConvention.ShouldSetEveryOption(options);
        await using var store = new SqliteJourneyStore(options, TimeProvider.System);

        OptionsConvention.CopyEveryOption(new SqliteJourneyStoreOptions { Path = "elsewhere.db" }, options);

        store.Path.Should().Be(_database.Path);
        OptionsConvention.ShouldHaveEveryOptionOf(store.Options, EveryOption());
    }

    [Theory]
    [InlineData(" ", "SqliteJourneyStoreOptions.Path must name the SQLite file, e.g. \"data/journeys.db\".")]
    [InlineData(":memory:", "SqliteJourneyStoreOptions.Path must be a file path, was \":memory:\"; for a store in memory use InMemoryJourneyStore.")]
    public void Constructor_InvalidOptions_ThrowsTheRegistrationsValidationFailures(string path, string failure)
    {
        var create = () => new SqliteJourneyStore(new SqliteJourneyStoreOptions { Path = path }, TimeProvider.System);
        var register = () => new ServiceCollection()
            .AddRecoveryJourneys(j => j.UseSqliteStore(o => o.Path = path))
            .BuildServiceProvider()
            .GetRequiredService<IOptions<SqliteJourneyStoreOptions>>().Value;

        create.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failure);
        register.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failure);
    }

    [Fact]
    public void Constructor_WithoutATimeProvider_Throws()
    {
        var create = () => new SqliteJourneyStore(_database.Path, null!);

        create.Should().Throw<ArgumentNullException>().WithParameterName("timeProvider");
    }

    [Fact]
    public async Task UseSqliteStore_PassesEveryOptionToTheStore()
    {
        var configured = EveryOption();
        OptionsConvention.ShouldSetEveryOption(configured);
        await using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.UseSqliteStore(o => OptionsConvention.CopyEveryOption(configured, o)))
            .BuildServiceProvider();

        var store = provider.GetRequiredService<SqliteJourneyStore>();

        OptionsConvention.ShouldHaveEveryOptionOf(store.Options, configured);
        store.Options.Should().NotBeSameAs(provider.GetRequiredService<IOptions<SqliteJourneyStoreOptions>>().Value);
    }

    [Fact]
    public async Task UseSqliteStore_EventJsonUnset_ReadsEventsWithTheEnginesJsonOptions()
    {
        await using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.ConfigureEngine(engine => engine.EventSerializerOptions = EventJson).UseSqliteStore(_database.Path))
            .BuildServiceProvider();

        provider.GetRequiredService<SqliteJourneyStore>().Options.EventSerializerOptions.Should().BeSameAs(EventJson);
    }

    [Fact]
    public async Task UseSqliteStore_TakesTheTimeProviderAndTheLoggerFactoryFromTheContainer()
    {
        var clock = new FakeClock();
        var logs = new RecordingLoggerProvider();
        await using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddLogging(logging => logging.AddProvider(logs))
            .AddRecoveryJourneys(j => j.UseSqliteStore(_database.Path))
            .BuildServiceProvider();

        await provider.GetRequiredService<SqliteJourneyStore>().MigrateAsync();

        var migrated = logs.Entries.Should().ContainSingle(e => e.EventId.Id == 520).Subject;
        migrated.Category.Should().Be(typeof(SqliteJourneyStore).FullName);
        migrated.Message.Should().StartWith($"Migrated the SQLite journey store '{_database.Path}' from schema version 0 to 5 in ");
        migrated.Values["Elapsed"].Should().Be(TimeSpan.Zero, "the migration is timed on the container's fake clock, which did not move; the system clock would have");
    }

    private SqliteJourneyStoreOptions EveryOption() => new() { Path = _database.Path, EventSerializerOptions = EventJson };
}
