using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Recovery.Journeys.AspNetCore.Tests.Fixtures;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Time;
using ShopWeb.Shop;

namespace Recovery.Journeys.AspNetCore.Tests;

[Collection(ProcessWideTelemetry.Name)]
public sealed class InstrumentationTests
{
    [Fact]
    public async Task Tracing_CollectsThePublishAndTheStep_LinkedToIt()
    {
        var activities = new List<Activity>();
        using (var tracer = Sdk.CreateTracerProviderBuilder().AddRecoveryJourneysInstrumentation().AddInMemoryExporter(activities).Build())
        {
            var f = EngineFixture.Create();
            await f.Engine.PublishAsync(new PaymentFailed("O-1", new Customer("C1") { Phone = "+33611111111" }, 10m));
            f.Clock.Advance(10.Minutes());
            await f.Engine.RunDueAsync();
            tracer.ForceFlush();
        }

        var publish = activities.Should().ContainSingle(a => a.Kind == ActivityKind.Producer).Subject;
        var linked = activities.Where(a => a.Links.Any(l => l.Context.SpanId == publish.SpanId)).ToList();
        linked.Should().NotBeEmpty("the step's activity links to the publish that started the instance");
        activities.Should().OnlyContain(a => a.Source.Name == "Recovery.Journeys");
    }

    [Fact]
    public async Task Metrics_CountFromTheMeterOfTheHostsFactory()
    {
        var metrics = new List<Metric>();
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddOpenTelemetry().WithMetrics(m => m.AddRecoveryJourneysInstrumentation().AddInMemoryExporter(metrics));
        await using var provider = services.BuildServiceProvider();
        var meters = provider.GetRequiredService<MeterProvider>();

        var f = EngineFixture.Create(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await f.Engine.PublishAsync(new PaymentFailed("O-1", new Customer("C1") { Phone = "+33611111111" }, 10m));
        await f.Engine.PublishAsync(new PaymentFailed("O-2", new Customer("C2") { Phone = "+33622222222" }, 10m));
        meters.ForceFlush();

        var entered = metrics.Where(m => m.Name == "recovery.journeys.entered").Should().ContainSingle().Subject;
        long total = 0;
        foreach (ref readonly var point in entered.GetMetricPoints())
        {
            total += point.GetSumLong();
        }

        total.Should().Be(2);
    }
}
