using System.Collections.Concurrent;
using System.Globalization;
using HandlebarsDotNet;
using NodaTime;
using NodaTime.Text;

namespace Recovery.Journeys.Templating;

/// <summary>
/// The helpers every journey template can call: money, numbers, percentages, discounts, dates and times in the
/// customer's zone, time left until a deadline, tracked links and the unsubscribe link. See docs/templates.md.
/// </summary>
internal static class BuiltInHelpers
{
    private static readonly ConcurrentDictionary<string, (string Symbol, int Digits)?> Currencies = new(StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyDictionary<string, TemplateModelHelper> All { get; } = new Dictionary<string, TemplateModelHelper>(StringComparer.Ordinal)
    {
        ["money"] = (model, args) => Money(Decimal(args, 0, "money"), args.Length > 1 ? args[1]?.ToString() : null, model.Culture),
        ["number"] = (model, args) => Number(Decimal(args, 0, "number"), args.Length > 1 ? (int)Decimal(args, 1, "number") : null, model.Culture),
        ["percent"] = (model, args) => Decimal(args, 0, "percent").ToString("P" + (args.Length > 1 ? (int)Decimal(args, 1, "percent") : 0), model.Culture),
        ["discounted"] = (_, args) => Math.Round(Decimal(args, 0, "discounted") * (1 - Decimal(args, 1, "discounted")), 2, MidpointRounding.AwayFromZero),
        ["date"] = (model, args) => FormatDate(model, args, "date", "D"),
        ["time"] = (model, args) => FormatDate(model, args, "time", "t"),
        ["dateTime"] = (model, args) => FormatDate(model, args, "dateTime", "D t"),
        ["timeLeft"] = (model, args) => TimeLeft(Zoned(model, args, 0, "timeLeft").ToInstant() - model.Now, model.Culture),
        ["trackedLink"] = (model, args) => TrackedLink(Text(args, 0, "trackedLink"), model),
        ["unsubscribeUrl"] = (model, _) => model.UnsubscribeUrl ?? string.Empty,
    };

    internal static string Money(decimal amount, string? currency, CultureInfo culture)
    {
        if (string.IsNullOrWhiteSpace(currency))
        {
            currency = culture.IsNeutralCulture || culture.Equals(CultureInfo.InvariantCulture) ? null : new RegionInfo(culture.Name).ISOCurrencySymbol;
        }

        var known = currency is null ? null : Currencies.GetOrAdd(currency, FindCurrency);
        if (culture.Equals(CultureInfo.InvariantCulture) || known is null)
        {
            var digits = known?.Digits ?? 2;
            return $"{amount.ToString("N" + digits, culture)} {currency?.ToUpperInvariant()}".TrimEnd();
        }

        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = known.Value.Symbol;
        format.CurrencyDecimalDigits = known.Value.Digits;
        return amount.ToString("C", format);
    }

    internal static string Number(decimal value, int? decimals, CultureInfo culture) =>
        decimals is { } d ? value.ToString("N" + d, culture) : value.ToString("#,0.##", culture);

    internal static string TimeLeft(Duration left, CultureInfo culture)
    {
        // Whole seconds first: a step sent a few milliseconds after it fell due still has "15 minutes" left.
        var minutes = Math.Max(0, (long)Math.Round(left.TotalSeconds) / 60);
        var (count, unit) = minutes < 60 ? (minutes, 0) : minutes < 48 * 60 ? (minutes / 60, 1) : (minutes / (24 * 60), 2);
        var words = Units.GetValueOrDefault(culture.TwoLetterISOLanguageName) ?? Units["en"];
        var singular = culture.TwoLetterISOLanguageName == "fr" ? count <= 1 : count == 1;
        return $"{count.ToString("N0", culture)} {(singular ? words[unit].One : words[unit].Many)}";
    }

    internal static string TrackedLink(string url, TemplateModel model)
    {
        var fragmentAt = url.IndexOf('#', StringComparison.Ordinal);
        var (path, fragment) = fragmentAt < 0 ? (url, string.Empty) : (url[..fragmentAt], url[fragmentAt..]);
        var parameters = new (string Key, string Value)[]
        {
            ("utm_source", "recovery-journeys"),
            ("utm_medium", model.Channel),
            ("utm_campaign", model.Journey.Name),
            ("utm_content", model.Journey.Step),
        };
        var query = string.Join('&', parameters
            .Where(p => !path.Contains(p.Key + "=", StringComparison.Ordinal) && p.Value.Length > 0)
            .Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return query.Length == 0 ? url : $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{query}{fragment}";
    }

    private static string FormatDate(TemplateModel model, Arguments args, string helper, string defaultPattern)
    {
        var zoned = Zoned(model, args, 0, helper);
        var pattern = args.Length > 1 ? Text(args, 1, helper) : defaultPattern;
        var culture = model.Culture;
        return pattern switch
        {
            "D" or "d" => zoned.Date.ToString(pattern, culture),
            "t" or "T" => zoned.TimeOfDay.ToString(pattern, culture),
            "D t" => $"{zoned.Date.ToString("D", culture)} {zoned.TimeOfDay.ToString("t", culture)}",
            _ => LocalDateTimePattern.Create(pattern, culture).Format(zoned.LocalDateTime),
        };
    }

    private static ZonedDateTime Zoned(TemplateModel model, Arguments args, int index, string helper)
    {
        var zone = model.TimeZone;
        return Argument(args, index, helper) switch
        {
            Instant instant => instant.InZone(zone),
            DateTimeOffset offset => Instant.FromDateTimeOffset(offset).InZone(zone),
            DateTime { Kind: DateTimeKind.Utc } utc => Instant.FromDateTimeUtc(utc).InZone(zone),
            ZonedDateTime zonedValue => zonedValue.WithZone(zone),
            LocalDateTime local => local.InZoneLeniently(zone),
            string text when InstantPattern.ExtendedIso.Parse(text) is { Success: true } parsed => parsed.Value.InZone(zone),
            var other => throw new HandlebarsRuntimeException($"{helper}: cannot read {other.GetType().Name} '{other}' as an instant; pass an Instant, a DateTimeOffset or a UTC DateTime."),
        };
    }

    private static decimal Decimal(Arguments args, int index, string helper) => Argument(args, index, helper) switch
    {
        decimal d => d,
        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        IConvertible convertible and not string => convertible.ToDecimal(CultureInfo.InvariantCulture),
        var other => throw new HandlebarsRuntimeException($"{helper}: '{other}' is not a number."),
    };

    private static string Text(Arguments args, int index, string helper) =>
        Argument(args, index, helper).ToString() ?? string.Empty;

    private static object Argument(Arguments args, int index, string helper) =>
        args.Length > index && args[index] is { } value and not UndefinedBindingResult
            ? value
            : throw new HandlebarsRuntimeException($"{helper}: argument {index + 1} is missing or undefined.");

    private static (string Symbol, int Digits)? FindCurrency(string code)
    {
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            var region = new RegionInfo(culture.Name);
            if (string.Equals(region.ISOCurrencySymbol, code, StringComparison.OrdinalIgnoreCase))
            {
                return (region.CurrencySymbol, culture.NumberFormat.CurrencyDecimalDigits);
            }
        }

        return null;
    }

    private static readonly Dictionary<string, (string One, string Many)[]> Units = new(StringComparer.Ordinal)
    {
        ["en"] = [("minute", "minutes"), ("hour", "hours"), ("day", "days")],
        ["fr"] = [("minute", "minutes"), ("heure", "heures"), ("jour", "jours")],
        ["de"] = [("Minute", "Minuten"), ("Stunde", "Stunden"), ("Tag", "Tage")],
        ["es"] = [("minuto", "minutos"), ("hora", "horas"), ("día", "días")],
        ["it"] = [("minuto", "minuti"), ("ora", "ore"), ("giorno", "giorni")],
        ["nl"] = [("minuut", "minuten"), ("uur", "uur"), ("dag", "dagen")],
        ["pt"] = [("minuto", "minutos"), ("hora", "horas"), ("dia", "dias")],
    };
}
