using System.Globalization;
using Recovery.Journeys.Reports;

namespace CheckoutRecovery.Scenarios;

/// <summary>The shop a scenario runs for: its name, language, currency and time zone, which its messages and report use.</summary>
/// <param name="Name">The shop's name.</param>
/// <param name="Culture">The shop's culture (<c>fr-FR</c>): its messages' language, and how figures are written.</param>
/// <param name="Currency">The shop's ISO 4217 currency (<c>EUR</c>).</param>
/// <param name="TimeZone">The shop's tzdb time zone, whose days the report counts.</param>
public sealed record ShopProfile(string Name, string Culture, string Currency, string TimeZone)
{
    /// <summary>How the report writes figures and money for this shop.</summary>
    public ReportFormat Format => new(CultureInfo.GetCultureInfo(Culture), Currency);
}
