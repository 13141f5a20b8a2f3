using Npgsql;

namespace Recovery.Journeys.Quartz.Tests;

/// <summary>
/// The real PostgreSQL server the tests run against, set up by <c>eng/test-services.sh</c>. Each test works in a
/// schema of its own, dropped afterwards, so tests and test classes never see each other's rows.
/// </summary>
internal static class TestDatabase
{
    public const string EnvironmentVariable = "RECOVERY_JOURNEYS_POSTGRES";

    /// <summary>What eng/test-services.sh sets up.</summary>
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=recovery_journeys_tests";

    private static readonly Lazy<Task> Reachable = new(CheckReachableAsync);

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultConnectionString;

    /// <summary>Fails, never skips, when the server is not there: a skipped durability suite would hide a broken store.</summary>
    public static Task EnsureReachableAsync() => Reachable.Value;

    public static string NewSchemaName() => $"rj_quartz_{Guid.NewGuid():N}";

    public static async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = await OpenConnectionAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task CheckReachableAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 5 }.ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"The Quartz tests need a server at \"{new NpgsqlConnectionStringBuilder(ConnectionString) { Password = "***" }}\" and could not connect ({e.Message}). " +
                $"Run `bash eng/test-services.sh` (as root) first, or set {EnvironmentVariable} to the connection string of another server.",
                e);
        }
    }
}
