using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using Recovery.Journeys.AspNetCore.Json;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.AspNetCore.Tests;

public sealed class JsonTests
{
    private static readonly JourneyInstanceId Id = new(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));

    [Fact]
    public void ARecord_HasItsIdInstantAndKindAsStrings()
    {
        var record = new JourneyRecord(Id, "checkout-recovery", Instant.FromUtc(2026, 11, 20, 9, 30), JourneyRecordKind.Sent) { StepId = "email-urgent", Channel = "email" };

        var json = JsonSerializer.Serialize(record, RecoveryJourneysJson.CreateOptions());

        json.Should().Be("{\"instanceId\":\"0f8fad5bd9cb469fa16570867728950e\",\"journeyName\":\"checkout-recovery\",\"at\":\"2026-11-20T09:30:00Z\",\"kind\":\"Sent\",\"stepId\":\"email-urgent\",\"channel\":\"email\",\"detail\":null,\"value\":null}");
    }

    [Fact]
    public void WithoutTheReflectionEnumConverter_AsInANativeAotApp_TheContextStillWritesEnumsAsStrings()
    {
        var options = RecoveryJourneysJson.CreateOptions();
        options.Converters.Remove(options.Converters.OfType<JsonStringEnumConverter>().Single());
        var record = new JourneyRecord(Id, "checkout-recovery", Instant.FromUtc(2026, 11, 20, 9, 30), JourneyRecordKind.Converted);

        var json = JsonSerializer.Serialize(record, options);

        json.Should().Contain("\"kind\":\"Converted\"");
    }

    [Fact]
    public void AnId_ReadsBackFromItsString()
    {
        var options = RecoveryJourneysJson.CreateOptions();

        JsonSerializer.Deserialize<JourneyInstanceId>("\"0f8fad5bd9cb469fa16570867728950e\"", options).Should().Be(Id);
    }

    [Fact]
    public void TheLibrarysTypes_ComeFromTheSourceGeneratedContext()
    {
        var options = RecoveryJourneysJson.CreateOptions();

        options.TypeInfoResolverChain[0].Should().BeOfType<RecoveryJourneysJsonContext>();
        options.GetTypeInfo(typeof(JourneyInstance)).OriginatingResolver.Should().BeOfType<RecoveryJourneysJsonContext>();
    }

    [Fact]
    public void Configure_TwiceAddsNothingTwice()
    {
        var options = RecoveryJourneysJson.Configure(RecoveryJourneysJson.Configure(new JsonSerializerOptions()));

        options.Converters.OfType<JourneyInstanceIdJsonConverter>().Should().ContainSingle();
        options.TypeInfoResolverChain.OfType<RecoveryJourneysJsonContext>().Should().ContainSingle();
    }
}
