using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Recovery.Journeys.Benchmarks.Shared;

/// <summary>
/// A Quartz.NET scheduler as an app host configures it (<c>services.AddQuartz</c>), one container per node, tuned in
/// Quartz's favour for a burst of due triggers: 16 threads, and up to 16 triggers acquired at a time (Quartz's
/// default acquires one).
/// </summary>
public static class QuartzNode
{
    public const int Threads = 16;

    public static ServiceProvider Create(string name, string id, Action<IQuartzBuilder> store)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = name;
                scheduler.InstanceId = id;
                scheduler.MaxBatchSize = Threads;
            });
            quartz.UseDefaultThreadPool(maxConcurrency: Threads);
            store(quartz);
        });
        return services.BuildServiceProvider();
    }
}
