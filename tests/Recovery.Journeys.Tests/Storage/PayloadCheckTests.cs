using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Time;

namespace Recovery.Journeys.Tests.Storage;

/// <summary>
/// The payload check walks most events' strings without writing their JSON and writes the others: either way an event
/// is refused exactly when its JSON, as a durable store writes it, holds a NUL character.
/// </summary>
public sealed class PayloadCheckTests
{
    public static TheoryData<string> Cases => [.. Events.Keys];

    // Shapes the walk takes (records, lists, string dictionaries, NodaTime values) and shapes left to the JSON
    // (floating point, object members, chars, custom converters, recursive types), with and without a NUL.
    private static readonly Dictionary<string, object> Events = new()
    {
        ["record, clean"] = new Nested("k", new Line("a", 1), [new Line("b", 2)]),
        ["record, NUL in a member"] = new Nested("k", new Line("a\0", 1), []),
        ["list, NUL in an element"] = new Nested("k", null, [new Line("b", 2), new Line("c\0", 3)]),
        ["dictionary, clean"] = new Tagged("k", new Dictionary<string, string> { ["a"] = "b" }),
        ["dictionary, NUL in a key"] = new Tagged("k", new Dictionary<string, string> { ["a\0"] = "b" }),
        ["dictionary, NUL in a value"] = new Tagged("k", new Dictionary<string, string> { ["a"] = "\0" }),
        ["instant and decimal, clean"] = new Timed("k", Instant.FromUtc(2026, 12, 1, 4, 0), 49.90m, Kind.Paid),
        ["double, clean"] = new Measured("k", 1.5, "x"),
        ["double, NUL in a string"] = new Measured("k", 1.5, "\0"),
        ["object member, clean"] = new Loose("k", "text"),
        ["object member, NUL"] = new Loose("k", "te\0xt"),
        ["char NUL"] = new Lettered("k", '\0'),
        ["custom converter writing a NUL"] = new Converted("k", new Secret("s")),
        ["recursive type, NUL deep"] = new Tree("k", new Tree("l", new Tree("m\0", null))),
        ["recursive type, clean"] = new Tree("k", new Tree("l", null)),
        ["string list, NUL"] = new Words("k", ["a", null, "b\0"]),
        ["structure member, clean"] = new Paired("k", new Pair("a", "b")),
        ["structure member, NUL"] = new Paired("k", new Pair("a", "b\0")),
        ["inherited member, NUL"] = new Derived { Key = "k", Note = "n\0" },
        ["inherited member, clean"] = new Derived { Key = "k", Note = "n" },
        ["included field, NUL"] = new WithField("k") { Remark = "r\0" },
    };

    private enum Kind
    {
        Paid = 1,
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AnEvent_IsRefused_ExactlyWhenItsJsonHoldsANul(string @case)
    {
        var @event = Events[@case];
        var expected = JsonHoldsNul(JsonSerializer.Serialize(@event, @event.GetType(), JourneyJson.DefaultOptions));

        var refused = await (Task<bool>)typeof(PayloadCheckTests).GetMethod(nameof(IsRefusedAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(@event.GetType())
            .Invoke(null, [@event])!;

        refused.Should().Be(expected, "the JSON {0} a NUL", expected ? "holds" : "holds no");
    }

    [Fact]
    public void TheCasesCoverBothAnswers()
    {
        var answers = Events.Values.Select(e => JsonHoldsNul(JsonSerializer.Serialize(e, e.GetType(), JourneyJson.DefaultOptions))).ToList();

        answers.Should().Contain(true).And.Contain(false);
    }

    private static async Task<bool> IsRefusedAsync<TEvent>(TEvent @event)
        where TEvent : class, IKeyed
    {
        var journey = Journey.When<TEvent>()
            .Named("payload")
            .CorrelateBy(e => e.Key)
            .AfterStart(5.Minutes()).Do((_, _) => ValueTask.CompletedTask)
            .Build();
        using var harness = new JourneyTestHarness(journey);
        try
        {
            (await harness.PublishAsync(@event)).Started.Should().ContainSingle();
            return false;
        }
        catch (JourneyEventException e) when (e.Message.Contains("NUL character", StringComparison.Ordinal))
        {
            return true;
        }
    }

    // Independently of the library: read the JSON back and look at every string and property name.
    private static bool JsonHoldsNul(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private interface IKeyed
    {
        string Key { get; }
    }

    private sealed record Line(string Name, int Quantity);

    private sealed record Nested(string Key, Line? First, IReadOnlyList<Line> Rest) : IKeyed;

    private sealed record Tagged(string Key, IReadOnlyDictionary<string, string> Tags) : IKeyed;

    private sealed record Timed(string Key, Instant At, decimal Amount, Kind Kind) : IKeyed;

    private sealed record Measured(string Key, double Weight, string Label) : IKeyed;

    private sealed record Loose(string Key, object Value) : IKeyed;

    private sealed record Lettered(string Key, char Letter) : IKeyed;

    private sealed record Converted(string Key, Secret Secret) : IKeyed;

    private sealed record Tree(string Key, Tree? Child) : IKeyed;

    private sealed record Words(string Key, List<string?> Items) : IKeyed;

    [JsonConverter(typeof(SecretConverter))]
    private sealed record Secret(string Value);

    private readonly record struct Pair(string Left, string Right);

    private sealed record Paired(string Key, Pair Pair) : IKeyed;

    private class Based : IKeyed
    {
        public string Key { get; init; } = "";

        public virtual string? Note { get; init; }
    }

    private sealed class Derived : Based
    {
        public override string? Note { get; init; }
    }

    private sealed record WithField(string Key) : IKeyed
    {
        [JsonInclude]
        public string? Remark;
    }

    private sealed class SecretConverter : JsonConverter<Secret>
    {
        public override Secret Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, Secret value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value + "\0");
    }
}
