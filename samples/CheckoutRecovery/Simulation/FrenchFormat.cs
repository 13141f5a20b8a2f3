using System.Globalization;

namespace CheckoutRecovery.Simulation;

/// <summary>Writes amounts and counts in the console report the way the shop's French texts do: <c>1 234,50 €</c>.</summary>
/// <remarks>
/// The messages themselves use the library's <c>{{money}}</c> and <c>{{number}}</c> helpers, in the customer's
/// culture. The report is built by hand instead, so that its columns read the same on every machine (an
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
}
