using System.Data.Common;
using Npgsql;

namespace Recovery.Journeys.PostgreSql.Storage;

/// <summary>
/// How many connections the store's pool may open, and how many of them claims may hold: bounded below the server's
/// <c>max_connections</c>, so that a burst of publishes waits for a pooled connection instead of failing with 53300.
/// </summary>
internal static class PostgreSqlPoolSizing
{
    /// <summary>The share of the server's connections a store takes by default: one in <see cref="ShareDivisor"/>.</summary>
    public const int ShareDivisor = 4;

    public const int MinimumSize = 2;

    public const int MaximumDefaultSize = 100;

    private static readonly string[] PoolSizeKeywords = ["Maximum Pool Size", "Max Pool Size", "MaxPoolSize"];

    /// <summary>The pool size: the option, else the connection string's own, else a share of what the server allows.</summary>
    public static async Task<int> DecideAsync(PostgreSqlJourneyStoreOptions options, CancellationToken cancellationToken)
    {
        if (options.MaxPoolSize is { } chosen)
        {
            return chosen;
        }

        // NpgsqlConnectionStringBuilder.ContainsKey says whether a keyword exists, not whether the string sets it.
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        if (PoolSizeKeywords.Any(given.ContainsKey))
        {
            return builder.MaxPoolSize;
        }

        return Share(await AllowedConnectionsAsync(builder, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The default pool size on a server that allows <paramref name="allowed"/> non-superuser connections.</summary>
    public static int Share(int allowed) => Math.Clamp(allowed / ShareDivisor, MinimumSize, MaximumDefaultSize);

    /// <summary>How many of the pool's connections claims may hold at once: three quarters, leaving the rest to publishes and exits.</summary>
    public static int ClaimBudget(int poolSize) => Math.Max(1, poolSize * 3 / 4);

    /// <summary>The connection string of the store's pool, with its size.</summary>
    public static string WithSize(string connectionString, int poolSize) =>
        new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = poolSize, MinPoolSize = 0 }.ConnectionString;

    private static async Task<int> AllowedConnectionsAsync(NpgsqlConnectionStringBuilder builder, CancellationToken cancellationToken)
    {
        var once = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(once.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // reserved_connections is PostgreSQL 16's; current_setting(..., true) is null on older servers.
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int " +
            "- coalesce(nullif(current_setting('reserved_connections', true), '')::int, 0)",
            connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
