using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Testing;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// The adapters' conventions on the PostgreSQL store: the constructor checks its options and keeps a copy of every
/// one, <c>UsePostgreSqlStore</c> passes every option to it, with the container's clock and loggers.
/// </summary>
public sealed class PostgreSqlJourneyStoreConventionTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);
    private readonly string _schema = TestDatabase.NewSchemaName();

    public Task InitializeAsync() => TestPostgres.EnsureReachableAsync();

    public Task DisposeAsync() => TestPostgres.DropSchemaAsync(_schema);

    [Fact]
    public async Task Constructor_KeepsACopyOfEveryOption_ChangingTheCallersObjectAfterwardsHasNoEffect()
    {
        var options = EveryOption();
        OptionsConvention.ShouldSetEveryOption(options);
        await using var store = new PostgreSqlJourneyStore(options, TimeProvider.System);

        OptionsConvention.CopyEveryOption(new PostgreSqlJourneyStoreOptions { Schema = "elsewhere" }, options);
        await store.MigrateAsync();

        store.Schema.Should().Be(_schema);
        OptionsConvention.ShouldHaveEveryOptionOf(store.Options, EveryOption());
        (await ScalarAsync($"SELECT count(*) FROM {_schema}.journey_schema_version")).Should().Be(1L, "the store migrated the schema it was created with");
    }

    [Fact]
    public async Task Constructor_InvalidOptions_ThrowsTheRegistrationsValidationFailures()
    {
        var invalid = new PostgreSqlJourneyStoreOptions { ConnectionString = " ", Schema = "", MaxClaimDuration = Duration.Zero, MaxClaimsPerCall = 1_001, MaxPoolSize = 1, ListenReconnectDelay = Duration.Zero };
        await using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.UsePostgreSqlStore(o => OptionsConvention.CopyEveryOption(invalid, o)))
            .BuildServiceProvider();

        var create = () => new PostgreSqlJourneyStore(invalid, TimeProvider.System);
        var register = () => provider.GetRequiredService<IOptions<PostgreSqlJourneyStoreOptions>>().Value;

        var failures = create.Should().Throw<OptionsValidationException>().Which.Failures;
        failures.Should().HaveCount(6);
        register.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failures);
    }

    [Fact]
    public void Constructor_WithoutATimeProvider_Throws()
    {
        var create = () => new PostgreSqlJourneyStore(EveryOption(), null!);

        create.Should().Throw<ArgumentNullException>().WithParameterName("timeProvider");
    }

    [Fact]
    public async Task UsePostgreSqlStore_PassesEveryOptionToTheStore()
    {
        var configured = EveryOption();
        OptionsConvention.ShouldSetEveryOption(configured);
        await using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.UsePostgreSqlStore(o => OptionsConvention.CopyEveryOption(configured, o)))
            .BuildServiceProvider();

        var store = provider.GetRequiredService<PostgreSqlJourneyStore>();

        OptionsConvention.ShouldHaveEveryOptionOf(store.Options, configured);
        store.Options.Should().NotBeSameAs(provider.GetRequiredService<IOptions<PostgreSqlJourneyStoreOptions>>().Value);
    }

    [Fact]
    public async Task UsePostgreSqlStore_EventJsonUnset_ReadsEventsWithTheEnginesJsonOptions()
    {
        await using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.ConfigureEngine(engine => engine.EventSerializerOptions = EventJson).UsePostgreSqlStore(TestPostgres.ConnectionString))
            .BuildServiceProvider();

        provider.GetRequiredService<PostgreSqlJourneyStore>().Options.EventSerializerOptions.Should().BeSameAs(EventJson);
    }

    [Fact]
    public async Task UsePostgreSqlStore_TakesTheTimeProviderAndTheLoggerFactoryFromTheContainer()
    {
        var clock = new FakeClock();
        var logs = new RecordingLoggerProvider();
        await using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddLogging(logging => logging.AddProvider(logs))
            .AddRecoveryJourneys(j => j.UsePostgreSqlStore(o =>
            {
                o.ConnectionString = TestPostgres.ConnectionString;
                o.Schema = _schema;
            }))
            .BuildServiceProvider();

        await provider.GetRequiredService<PostgreSqlJourneyStore>().MigrateAsync();

        var migrated = logs.Entries.Should().ContainSingle(e => e.EventId.Id == 520).Subject;
        migrated.Category.Should().Be(typeof(PostgreSqlJourneyStore).FullName);
        migrated.Message.Should().StartWith($"Migrated the PostgreSQL journey store in schema '{_schema}' from schema version 0 to 5 in ");
        migrated.Values["Elapsed"].Should().Be(TimeSpan.Zero, "the migration is timed on the container's fake clock, which did not move; the system clock would have");
    }

    private PostgreSqlJourneyStoreOptions EveryOption() => new()
    {
        ConnectionString = TestPostgres.ConnectionString,
        Schema = _schema,
        MaxClaimDuration = Duration.FromMinutes(2),
        MaxClaimsPerCall = 4,
        MaxPoolSize = 8,
        ListenReconnectDelay = Duration.FromSeconds(1),
        EventSerializerOptions = EventJson,
    };

    private static async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await TestPostgres.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
