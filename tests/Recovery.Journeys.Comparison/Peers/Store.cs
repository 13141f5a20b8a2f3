namespace Recovery.Journeys.Comparison.Peers;

/// <summary>Where a framework keeps its work: a PostgreSQL schema of the run's own, or a SQLite file.</summary>
/// <param name="Kind">"postgresql" or "sqlite".</param>
/// <param name="Location">The schema name (PostgreSQL) or the folder of the files (SQLite).</param>
public sealed record Store(string Kind, string Location)
{
    public bool IsPostgreSql => Kind == "postgresql";
}
