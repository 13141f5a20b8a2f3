namespace Recovery.Journeys;

/// <summary>Identifies one run of a journey for one correlation key.</summary>
/// <param name="Value">The underlying id.</param>
public readonly record struct JourneyInstanceId(Guid Value)
{
    /// <summary>Creates a new random id.</summary>
    public static JourneyInstanceId New() => new(Guid.NewGuid());

    /// <summary>Parses the form written by <see cref="ToString"/>.</summary>
    /// <param name="text">32 hexadecimal digits.</param>
    public static JourneyInstanceId Parse(string text) => new(Guid.ParseExact(text, "N"));

    /// <summary>Returns the id as 32 hexadecimal digits, the form used in idempotency keys.</summary>
    public override string ToString() => Value.ToString("N");
}
