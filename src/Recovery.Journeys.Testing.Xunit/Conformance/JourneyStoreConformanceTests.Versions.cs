using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

public abstract partial class JourneyStoreConformanceTests
{
    /// <summary>An instance keeps the journey version it started with through commits and updates.</summary>
    [Fact]
    public async Task Versions_InstancesOfTwoVersions_KeepTheirOwnVersion()
    {
        var v1 = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now, journeyVersion: 1));
        var v2 = await StartAsync(NewInstance("order-2", wakeUpAt: Clock.Now + Duration.FromTicks(1), journeyVersion: 2));

        var claims = await Store.ClaimDueAsync(Clock.Now + Duration.FromTicks(1), 10, CancellationToken.None);
        Assert.Equal([1, 2], claims.Select(c => c.Instance.JourneyVersion));
        foreach (var claim in claims)
        {
            await claim.CommitAsync(Ran(claim.Instance, Clock.Now, "step-2", Clock.Now + Duration.FromHours(1)), CancellationToken.None);
        }

        await Store.UpdateActiveAsync(Checkout, "order-1", i => new JourneyTransition(i with { Variables = Variables(("variant", "A")) }, []), CancellationToken.None);

        Assert.Equal(1, (await Store.GetAsync(v1.Id, CancellationToken.None))!.JourneyVersion);
        Assert.Equal(2, (await Store.GetAsync(v2.Id, CancellationToken.None))!.JourneyVersion);
        Assert.Equal([1, 2], (await Store.FindAsync(new JourneyInstanceQuery(Checkout), CancellationToken.None)).Select(i => i.JourneyVersion));
    }

    /// <summary>One active instance per journey and key, whatever the version: a v1 instance blocks a v2 start for its key.</summary>
    [Fact]
    public async Task Versions_ActiveInstanceOfAnOlderVersion_BlocksANewerStartForTheSameKey()
    {
        var v1 = await StartAsync(NewInstance("order-1", journeyVersion: 1));

        var outcome = await Store.TryStartAsync(Start(NewInstance("order-1", journeyVersion: 2)), CancellationToken.None);

        Assert.False(outcome.IsStarted);
        Assert.Equal(v1.Id, outcome.ActiveInstanceId);
    }

    /// <summary>
    /// A durable store keeps the trigger as JSON: it comes back equal, NodaTime values, decimals and text included,
    /// and reads back as the event type.
    /// </summary>
    [Fact]
    public async Task Trigger_EventWithNodaTimeValues_RoundTripsThroughTheStore()
    {
        var instance = await StartAsync(NewInstance("order-1", wakeUpAt: Clock.Now));

        var stored = await Store.GetAsync(instance.Id, CancellationToken.None);
        var claim = Assert.Single(await Store.ClaimDueAsync(Clock.Now, 10, CancellationToken.None));

        var expected = ConformanceEvent.Sample("order-1", instance.StartedAt);
        foreach (var trigger in new[] { stored!.Trigger, claim.Instance.Trigger })
        {
            var read = JsonSerializer.Deserialize(trigger.ToJson(), (JsonTypeInfo<ConformanceEvent>)JourneyJson.DefaultOptions.GetTypeInfo(typeof(ConformanceEvent)))!;
            Assert.Equal(expected.OrderId, read.OrderId);
            Assert.Equal(expected.Customer with { Attributes = read.Customer.Attributes }, read.Customer);
            Assert.Equal(expected.AbandonedAt, read.AbandonedAt);
            Assert.Equal(expected.Total, read.Total);
            Assert.Equal(expected.Items, read.Items);
            Assert.Equal(expected.DeliveryDate, read.DeliveryDate);
            Assert.Equal(expected.OfferEndsAt, read.OfferEndsAt);
            Assert.Equal(expected.TimeOnPaymentPage, read.TimeOnPaymentPage);
            Assert.Null(read.Note);
        }

        await claim.DisposeAsync();
    }
}
