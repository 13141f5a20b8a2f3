using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Quartz;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Sqlite;
using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Tests.Documentation.Stores;

/// <summary>
/// The registrations of docs/stores.md register what the page says. They are resolved, not opened: opening them is
/// the store and Quartz test projects' work, on real files and the real server.
/// </summary>
public sealed class StoresSnippetsTests
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Shop"] = "Host=db.example.com;Database=shop;Username=shop" })
        .Build();

    [Fact]
    public async Task UseSqliteStore_RegistersTheSqliteStore_OnTheFileOfThePage()
    {
        var services = new ServiceCollection();

        StoresSnippets.Sqlite(services, GettingStartedSnippets.CheckoutRecovery());

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IOptions<SqliteJourneyStoreOptions>>().Value.Path.Should().Be("data/journeys.db");
        provider.GetRequiredService<IJourneyStore>().Should().BeOfType<SqliteJourneyStore>();
    }

    [Fact]
    public async Task UsePostgreSqlStore_WithAConnectionString_RegistersThePostgreSqlStore_WithTheDefaults()
    {
        var services = new ServiceCollection();

        StoresSnippets.PostgreSql(services, Configuration, GettingStartedSnippets.CheckoutRecovery());

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IJourneyStore>().Should().BeOfType<PostgreSqlJourneyStore>();
        ShouldBeThePagesOptions(provider.GetRequiredService<IOptions<PostgreSqlJourneyStoreOptions>>().Value);
    }

    [Fact]
    public async Task UsePostgreSqlStore_WithEveryOption_SetsTheValuesThePageCallsTheDefaults()
    {
        var services = new ServiceCollection();

        StoresSnippets.PostgreSqlWithOptions(services, Configuration, GettingStartedSnippets.CheckoutRecovery());

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IJourneyStore>().Should().BeOfType<PostgreSqlJourneyStore>();
        ShouldBeThePagesOptions(provider.GetRequiredService<IOptions<PostgreSqlJourneyStoreOptions>>().Value);
        ShouldBeThePagesOptions(new PostgreSqlJourneyStoreOptions { ConnectionString = "Host=db.example.com;Database=shop;Username=shop" });
    }

    [Fact]
    public async Task UseQuartzScheduler_OnThePostgreSqlStore_RegistersTheQuartzScheduler_WithTheDefaults()
    {
        var services = new ServiceCollection();

        StoresSnippets.Quartz(services, Configuration, GettingStartedSnippets.CheckoutRecovery());

        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IJourneyScheduler>().Should().BeOfType<QuartzJourneyScheduler>();
        provider.GetRequiredService<IJourneyStore>().Should().BeOfType<PostgreSqlJourneyStore>();
        var options = provider.GetRequiredService<IOptions<QuartzJourneySchedulerOptions>>().Value;
        options.Should().BeEquivalentTo(new QuartzJourneySchedulerOptions(), "the page sets every option to its default");
        options.Should().BeEquivalentTo(new { SchedulerName = (string?)null, Group = "recovery-journeys", ReconciliationInterval = Duration.FromMinutes(1) });
    }

    private static void ShouldBeThePagesOptions(PostgreSqlJourneyStoreOptions options) =>
        options.Should().BeEquivalentTo(new
        {
            ConnectionString = "Host=db.example.com;Database=shop;Username=shop",
            Schema = "recovery_journeys",
            MaxClaimDuration = Duration.FromMinutes(5),
            MaxClaimsPerCall = 16,
        });
}
