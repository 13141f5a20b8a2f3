namespace Recovery.Journeys.Storage;

/// <summary>Identifies one run of a journey for one correlation key.</summary>
/// <param name="Value">The underlying id.</param>
public readonly record struct JourneyInstanceId(Guid Value)
{
    /// <summary>Creates a new random id (a version 4 UUID).</summary>
    /// <remarks>
    /// Ids need to be unique, not secret: they come from <see cref="Random.Shared"/>, several times faster than
    /// <see cref="Guid.NewGuid"/>'s cryptographic generator on a hot path that starts a journey per abandoned cart.
    /// </remarks>
    public static JourneyInstanceId New()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4, in Guid's little-endian field order
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new(new Guid(bytes));
    }

    /// <summary>Parses the form written by <see cref="ToString"/>.</summary>
    /// <param name="text">32 hexadecimal digits.</param>
    public static JourneyInstanceId Parse(string text) => new(Guid.ParseExact(text, "N"));

    /// <summary>Returns the id as 32 hexadecimal digits, the form used in idempotency keys.</summary>
    public override string ToString() => Value.ToString("N");
}
