using NodaTime;

namespace Recovery.Journeys.Benchmarks.Durable;

/// <summary>
/// The floors of the durable run, each measured in the same run as the engine on a copy of the engine's rows made once
/// every checkout started and before the engine's timer starts: <see cref="PgbenchFloor"/> for PostgreSQL (pgbench with
/// as many clients as the engines hold claims, their concurrency times the workers) and <see cref="SqliteFloor"/> for
/// SQLite (a bare loop, claiming in batches of the engine's concurrency).
/// </summary>
public static class DurableFloors
{
    /// <summary>The schema that holds the PostgreSQL floor's copy of the engine's schema <paramref name="schema"/>.</summary>
    public static string FloorSchema(string schema) => schema + "_floor";

    /// <summary>Copies the engine's rows now, and returns the floor's run on the copy, to be run before or after the engine.</summary>
    public static async Task<Func<Task<FloorResult>>> PrepareAsync(string store, string schema, string sqlitePath, Instant now, int workers, int concurrency, int journeys)
    {
        if (store == "sqlite")
        {
            var copy = Path.Combine(Path.GetDirectoryName(sqlitePath)!, "floor.db");
            SqliteFloor.Copy(sqlitePath, copy);
            return () => SqliteFloor.RunAsync(copy, now, concurrency, journeys);
        }

        var floorSchema = FloorSchema(schema);
        await PgbenchFloor.CopySchemaAsync(schema, floorSchema).ConfigureAwait(false);
        return () => PgbenchFloor.RunAsync(floorSchema, now, clients: concurrency * workers, threads: workers, journeys);
    }
}
