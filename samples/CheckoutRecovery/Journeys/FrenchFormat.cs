using System.Globalization;
using NodaTime;

namespace CheckoutRecovery.Journeys;

/// <summary>Writes amounts, counts and durations the way the French texts of the shop do.</summary>
/// <remarks>
/// Built by hand rather than from the fr-FR culture so that the output is the same on every machine (an
/// invariant-globalization container has no fr-FR data, and fr-FR groups digits with a narrow no-break space).
/// </remarks>
public static class FrenchFormat
{
    private static readonly NumberFormatInfo Numbers = new()
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = " ",
        NumberGroupSizes = [3],
    };

    /// <summary>Writes an amount in euros: <c>1 234,50 €</c>.</summary>
    /// <param name="amount">The amount.</param>
    public static string Euros(decimal amount) => amount.ToString("#,0.00", Numbers) + " €";

    /// <summary>Writes a count with grouped digits: <c>1 234</c>.</summary>
    /// <param name="count">The count.</param>
    public static string Count(long count) => count.ToString("#,0", Numbers);

    /// <summary>
    /// Writes how long is left: <c>15 minutes</c>, <c>23 h 05 min</c>, <c>40 secondes</c>; <c>0 minute</c> once
    /// the time is up. Whole units, rounded down so it never promises a minute more than there is, after rounding
    /// to the second so that a send a few milliseconds after its due instant still says "15 minutes".
    /// </summary>
    /// <param name="left">The time left.</param>
    public static string TimeLeft(Duration left)
    {
        left = Duration.FromSeconds(Math.Round(left.TotalSeconds, MidpointRounding.AwayFromZero));
        if (left <= Duration.Zero)
        {
            return "0 minute";
        }

        if (left >= Duration.FromHours(1))
        {
            return $"{(long)left.TotalHours} h {left.Minutes:00} min";
        }

        if (left >= Duration.FromMinutes(1))
        {
            var minutes = (long)left.TotalMinutes;
            return minutes == 1 ? "1 minute" : $"{minutes} minutes";
        }

        var seconds = (long)left.TotalSeconds;
        return seconds <= 1 ? "1 seconde" : $"{seconds} secondes";
    }
}
