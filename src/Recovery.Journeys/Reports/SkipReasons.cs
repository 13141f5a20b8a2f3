namespace Recovery.Journeys.Reports;

/// <summary>Groups skip details into reasons: the figures some details carry (how late, which cap) are left out.</summary>
internal static class SkipReasons
{
    public static string Category(string? detail) => detail switch
    {
        null or "" => "unknown",
        _ when detail.Contains("(SkipIfLaterThan)", StringComparison.Ordinal) => "late (SkipIfLaterThan)",
        _ when detail.StartsWith("frequency cap", StringComparison.Ordinal) => "frequency cap",
        _ when detail.StartsWith("SendOnlyWhile", StringComparison.Ordinal) => "SendOnlyWhile",
        _ => detail,
    };
}
