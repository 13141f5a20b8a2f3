using System.Collections.Concurrent;
using System.Globalization;

namespace Recovery.Journeys.Reports;

/// <summary>
/// How report pictures and pages write numbers and money: in the shop's culture and currency
/// (<c>new ReportFormat(CultureInfo.GetCultureInfo("fr-FR"), "EUR")</c> writes <c>61 342,60 €</c>).
/// </summary>
/// <remarks>Immutable. <see cref="Invariant"/>, the default of the exports without one, writes <c>61,342.60</c> with no currency.</remarks>
public sealed record ReportFormat
{
    private static readonly ConcurrentDictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a format.</summary>
    /// <param name="culture">The culture numbers, dates and money are written in.</param>
    /// <param name="currency">The shop's ISO 4217 currency (<c>EUR</c>), or <see langword="null"/> for plain amounts.</param>
    public ReportFormat(CultureInfo culture, string? currency = null)
    {
        ArgumentNullException.ThrowIfNull(culture);
        Culture = culture;
        Currency = string.IsNullOrWhiteSpace(currency) ? null : currency.Trim().ToUpperInvariant();
    }

    /// <summary>The invariant culture and no currency: what exports without a format write.</summary>
    public static ReportFormat Invariant { get; } = new(CultureInfo.InvariantCulture);

    /// <summary>The culture numbers, dates and money are written in.</summary>
    public CultureInfo Culture { get; }

    /// <summary>The shop's ISO 4217 currency, or <see langword="null"/> for plain amounts.</summary>
    public string? Currency { get; }

    /// <summary>Writes an amount: with the currency's symbol placed as the culture places it, or as a plain number with two decimals.</summary>
    /// <param name="amount">The amount.</param>
    public string Money(decimal amount)
    {
        if (Currency is null)
        {
            return amount.ToString("N2", Culture);
        }

        var format = (NumberFormatInfo)Culture.NumberFormat.Clone();
        format.CurrencySymbol = SymbolOf(Currency, Culture);
        return amount.ToString("C2", format);
    }

    /// <summary>Writes a count with the culture's group separator.</summary>
    /// <param name="count">The count.</param>
    public string Count(int count) => count.ToString("N0", Culture);

    /// <summary>
    /// Writes a ratio as a percentage with at most one decimal, as the culture writes percentages: its symbol, spacing
    /// and order (<c>27,3 %</c> in fr-FR, <c>27,3%</c> in fr-CH, <c>27.3%</c> in en-GB, <c>%27,3</c> in tr-TR).
    /// </summary>
    /// <param name="ratio">The ratio (0.273 for 27.3 %).</param>
    public string Percent(double ratio) =>
        ratio.ToString(Math.Round(ratio * 100, 1, MidpointRounding.AwayFromZero) % 1 == 0 ? "P0" : "P1", Culture);

    // The culture's own symbol when its region uses the currency (€ in fr-FR); otherwise the symbol of a region that
    // does (£ for GBP), or the ISO code itself.
    private static string SymbolOf(string currency, CultureInfo culture)
    {
        if (!culture.IsNeutralCulture && culture.Name.Length > 0 && Region(culture.Name) is { } own && own.ISOCurrencySymbol == currency)
        {
            return culture.NumberFormat.CurrencySymbol;
        }

        return Symbols.GetOrAdd(currency, code =>
            CultureInfo.GetCultures(CultureTypes.SpecificCultures)
                .Select(c => Region(c.Name))
                .FirstOrDefault(r => r?.ISOCurrencySymbol == code)?.CurrencySymbol ?? code);
    }

    private static RegionInfo? Region(string cultureName)
    {
        try
        {
            return new RegionInfo(cultureName);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
