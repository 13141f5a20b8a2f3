using Npgsql;

namespace Recovery.Journeys.TestSupport;

/// <summary>
/// The real PostgreSQL server the tests and benchmarks run against: the one <c>eng/test-services.sh</c> sets up, or
/// the one <c>RECOVERY_JOURNEYS_POSTGRES</c> names. Each test works in a schema of its own, dropped afterwards, so
/// tests never see each other's rows.
/// </summary>
/// <remarks>Linked into the projects that need a server (their .csproj files).</remarks>
internal static class TestPostgres
{
    public const string EnvironmentVariable = "RECOVERY_JOURNEYS_POSTGRES";

    /// <summary>What eng/test-services.sh sets up.</summary>
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=recovery_journeys_tests";

    private static readonly Lazy<Task> Reachable = new(CheckReachableAsync);

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultConnectionString;

    /// <summary>Fails, never skips, when the server is not there: a skipped durability suite would hide a broken store.</summary>
    public static Task EnsureReachableAsync() => Reachable.Value;

    /// <summary>A schema name no other test uses: <paramref name="prefix"/>, then a new GUID.</summary>
    public static string NewSchemaName(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public static async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    public static async Task DropSchemaAsync(string schema)
    {
        var connection = await OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private static async Task CheckReachableAsync()
    {
        try
        {
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 5 }.ConnectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"These tests need a PostgreSQL server at \"{new NpgsqlConnectionStringBuilder(ConnectionString) { Password = "***" }}\" and could not connect ({e.Message}). " +
                $"Run `bash eng/test-services.sh` (as root) first, or set {EnvironmentVariable} to the connection string of another server.",
                e);
        }
    }
}
