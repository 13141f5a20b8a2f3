using Npgsql;
using Quartz;

namespace Recovery.Journeys.TestSupport;

/// <summary>
/// Creates Quartz's tables from the PostgreSQL schema script the Quartz package ships: the resource
/// <c>Quartz.Impl.AdoJobStore.Schema.create_postgres.sql</c> of Quartz.dll, which is what its ADO job store runs
/// itself under <c>SchemaProvisioning.CreateIfMissing</c>, generated from the same schema description as the
/// repository's <c>database/tables/tables_postgres.sql</c>. Read from the package, so it always matches the Quartz
/// version the tests run; nothing is copied into this repository.
/// </summary>
internal static class QuartzSchemaScript
{
    private const string ResourceName = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    /// <param name="tablePrefix">The job store's <c>TablePrefix</c>, schema-qualified: <c>my_schema.qrtz_</c>.</param>
    public static async Task CreateTablesAsync(NpgsqlConnection connection, string tablePrefix)
    {
        await using var stream = typeof(IScheduler).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The Quartz package no longer ships {ResourceName}; find its PostgreSQL schema script.");
        using var reader = new StreamReader(stream);
        var script = await reader.ReadToEndAsync();

        // The script's own conventions (its header): '{0}' is the table prefix, '{1}' the prefix without its schema,
        // and statements are separated by lines reading exactly '--;;'.
        var unqualified = tablePrefix[(tablePrefix.LastIndexOf('.') + 1)..];
        var statements = script.Replace("{0}", tablePrefix, StringComparison.Ordinal).Replace("{1}", unqualified, StringComparison.Ordinal)
            .Split(["\n--;;\n", "\r\n--;;\r\n"], StringSplitOptions.RemoveEmptyEntries)
            .Where(statement => statement.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)));
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        foreach (var statement in statements)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}
