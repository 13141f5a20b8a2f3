using System.Text.Json.Serialization;

namespace AotHost;

/// <summary>The JSON contracts of the host's events, generated at build time: no reflection in a native AOT app.</summary>
[JsonSerializable(typeof(CheckoutAbandoned))]
[JsonSerializable(typeof(OrderPaid))]
internal sealed partial class AotJsonContext : JsonSerializerContext;
