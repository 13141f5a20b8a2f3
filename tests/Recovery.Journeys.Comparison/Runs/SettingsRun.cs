using System.Reflection;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Scheduling;

namespace Recovery.Journeys.Comparison.Runs;

/// <summary>
/// <c>settings</c>: prints the versions and the default settings of every framework as the packages in this build
/// have them, read from the objects themselves, so docs/comparison.md quotes defaults that were checked, not recalled.
/// </summary>
public static class SettingsRun
{
    public static int Run()
    {
        foreach (var assembly in new[] { typeof(BackgroundJob).Assembly, typeof(PostgreSqlStorage).Assembly, typeof(SQLiteStorage).Assembly, typeof(global::Wolverine.Saga).Assembly, typeof(global::Wolverine.Postgresql.PostgresqlConfigurationExtensions).Assembly, typeof(JourneyEngine).Assembly })
        {
            Console.WriteLine($"{assembly.GetName().Name} {assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version}");
        }

        Print(new BackgroundJobServerOptions());
        Print(new PostgreSqlStorageOptions());
        Print(new SQLiteStorageOptions());
        Print(new global::Wolverine.WolverineOptions().Durability);
        Print(new JourneyEngineOptions());
        Print(new InProcessSchedulerOptions());
        return 0;
    }

    private static void Print(object options)
    {
        Console.WriteLine($"{options.GetType().FullName}:");
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            object? value;
            try
            {
                value = property.GetValue(options);
            }
            catch (TargetInvocationException e)
            {
                value = $"({e.InnerException?.GetType().Name})";
            }

            if (value is null or string or ValueType or TimeSpan)
            {
                Console.WriteLine($"  {property.Name} = {value}");
            }
        }
    }
}
