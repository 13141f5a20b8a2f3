using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.CrashWorker;
using Recovery.Journeys.Ports;
using Recovery.Journeys.PostgreSql;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Sqlite;
using Recovery.Journeys.Storage;

// Runs the engine until its standard input closes (the tests' graceful stop) or it is killed (their crash): by the
// test, or by itself at a claim or a commit when CRASH_WORKER_KILL_AT says so (see KillPoint).
//   dotnet Recovery.Journeys.CrashWorker.dll sqlite <file> <worker name> [max concurrent steps [stall after N sends]]
//   dotnet Recovery.Journeys.CrashWorker.dll postgres <connection string> <schema> <worker name> [max concurrent steps [stall after N sends]]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: sqlite <file> <worker> [concurrency [stall after]] | postgres <connection string> <schema> <worker> [concurrency [stall after]]");
    return 2;
}

var postgres = args[0] == "postgres";
var worker = postgres ? args[3] : args[2];
var concurrencyArgument = postgres ? 4 : 3;
var concurrency = args.Length > concurrencyArgument ? int.Parse(args[concurrencyArgument], System.Globalization.CultureInfo.InvariantCulture) : 8;
int? stallAfter = args.Length > concurrencyArgument + 1 ? int.Parse(args[concurrencyArgument + 1], System.Globalization.CultureInfo.InvariantCulture) : null;

using var loggerFactory = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(LogLevel.Warning)
    .AddSimpleConsole(console => console.SingleLine = true)
    .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));

IJourneyStore store;
IDeliveryLog log;
if (postgres)
{
    var postgreSqlStore = new PostgreSqlJourneyStore(
        new PostgreSqlJourneyStoreOptions { ConnectionString = args[1], Schema = args[2], MaxClaimsPerCall = Math.Min(concurrency, 8) },
        TimeProvider.System,
        loggerFactory);
    await postgreSqlStore.MigrateAsync();
    store = postgreSqlStore;
    log = PostgreSqlDeliveryLog.Open(args[1], args[2], maxConnections: Math.Min(concurrency, 4));
}
else
{
    var sqliteStore = new SqliteJourneyStore(args[1], TimeProvider.System, loggerFactory);
    await sqliteStore.MigrateAsync();
    store = sqliteStore;
    log = await SqliteDeliveryLog.OpenAsync(args[1]);
}

var clock = TimeProvider.System;
var scheduler = new InProcessJourneyScheduler(
    clock,
    new InProcessSchedulerOptions { PollInterval = Duration.FromSeconds(5), ErrorBackoff = Duration.FromSeconds(1) },
    store as IJourneyWakeUpSource,
    loggerFactory);
var kill = KillPoint.FromEnvironment();
var engine = new JourneyEngine(
    ReliabilityJourneys.All,
    kill is null ? store : new KillingJourneyStore(store, kill),
    new JourneyHostServices { Channels = new RecordingEmailChannel(log, worker, clock, stallAfter) },
    clock,
    new JourneyEngineOptions { MaxConcurrentSteps = concurrency },
    scheduler,
    loggerFactory);

using var stop = new CancellationTokenSource();
_ = Task.Run(async () =>
{
    // Standard input closes when the test asks for a graceful stop, or when the test process itself dies.
    await Console.In.ReadToEndAsync();
    await stop.CancelAsync();
});

Console.WriteLine($"worker {worker} running (pid {Environment.ProcessId})");
try
{
    await scheduler.RunAsync(engine, stop.Token);
}
finally
{
    await log.DisposeAsync();
    await ((IAsyncDisposable)store).DisposeAsync();
}

Console.WriteLine($"worker {worker} stopped");
return 0;
