using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Quartz;
using Recovery.Journeys;
using Recovery.Journeys.Definition;
using Recovery.Journeys.PostgreSql;

namespace CheckoutRecovery.Tests.Documentation.Stores;

/// <summary>The registrations of docs/stores.md, compiled; <see cref="StoresSnippetsTests"/> resolves what they register.</summary>
public static class StoresSnippets
{
    public static void Sqlite(IServiceCollection services, JourneyDefinition checkoutRecovery)
    {
        // begin-snippet: stores-sqlite
        services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(checkoutRecovery)
            .UseSqliteStore("data/journeys.db"));
        // end-snippet
    }

    public static void PostgreSql(IServiceCollection services, IConfiguration configuration, JourneyDefinition checkoutRecovery)
    {
        // begin-snippet: stores-postgresql
        services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(checkoutRecovery)
            .UsePostgreSqlStore(configuration.GetConnectionString("Shop")!));
        // end-snippet
    }

    public static void PostgreSqlWithOptions(IServiceCollection services, IConfiguration configuration, JourneyDefinition checkoutRecovery)
    {
        // begin-snippet: stores-postgresql-options
        services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(checkoutRecovery)
            .UsePostgreSqlStore(o =>
            {
                o.ConnectionString = configuration.GetConnectionString("Shop")!;
                o.Schema = "recovery_journeys";                 // the default
                o.MaxClaimDuration = Duration.FromMinutes(5);   // the default
                o.MaxClaimsPerCall = 16;                        // the default
            }));
        // end-snippet
    }

    public static void Quartz(IServiceCollection services, IConfiguration configuration, JourneyDefinition checkoutRecovery)
    {
        // begin-snippet: stores-quartz
        services.AddQuartz(quartz =>
        {
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(configuration.GetConnectionString("Shop")!);
                store.UseClustering();
            });
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);

        services.AddRecoveryJourneys(journeys => journeys
            .AddJourney(checkoutRecovery)
            .UsePostgreSqlStore(configuration.GetConnectionString("Shop")!)
            .UseQuartzScheduler(options =>
            {
                options.SchedulerName = null;                               // the default: services.AddQuartz(...)'s scheduler
                options.Group = "recovery-journeys";                        // the default
                options.ReconciliationInterval = Duration.FromMinutes(1);   // the default
            }));
        // end-snippet
    }

    /// <summary>Runs a host whose store must open before it starts (compiled only: it runs until the host stops).</summary>
    public static async Task RunFailingFastAsync(HostApplicationBuilder builder)
    {
        // begin-snippet: stores-migrate-fail-fast
        using var host = builder.Build();
        await host.Services.GetRequiredService<PostgreSqlJourneyStore>().MigrateAsync();   // fail fast
        await host.RunAsync();
        // end-snippet
    }
}
