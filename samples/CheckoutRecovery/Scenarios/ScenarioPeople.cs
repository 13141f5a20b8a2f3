using System.Globalization;
using Recovery.Journeys.Customers;

namespace CheckoutRecovery.Scenarios;

/// <summary>Which ways a simulated customer can be reached.</summary>
/// <param name="Email">Whether the shop has their e-mail address.</param>
/// <param name="Phone">Whether it has their phone number.</param>
/// <param name="AppPush">Whether they have the app (a push token).</param>
/// <param name="WebPush">Whether their browser subscribed to web push.</param>
/// <param name="Chat">Whether they have a chat handle.</param>
public sealed record Reach(bool Email = true, bool Phone = false, bool AppPush = false, bool WebPush = false, bool Chat = false);

/// <summary>Makes the scenarios' customers: French names, ids <c>c-00042</c>, and only the contacts they gave.</summary>
public static class ScenarioPeople
{
    private static readonly string[] FirstNames =
    [
        "Camille", "Léa", "Manon", "Chloé", "Inès", "Jade", "Louise", "Emma", "Zoé", "Élodie",
        "Lucas", "Hugo", "Louis", "Nathan", "Gabriel", "Jules", "Arthur", "Théo", "Raphaël", "Noé",
    ];

    private static readonly string[] LastNames =
    [
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
    ];

    /// <summary>The id of the customer with this index.</summary>
    /// <param name="index">The customer's index in the population.</param>
    public static string Id(int index) => $"c-{index.ToString("00000", CultureInfo.InvariantCulture)}";

    /// <summary>A customer with a name drawn from <paramref name="random"/> and the contacts <paramref name="reach"/> says.</summary>
    /// <param name="index">The customer's index in the population.</param>
    /// <param name="random">The population's random source.</param>
    /// <param name="reach">Which contacts they gave.</param>
    /// <param name="culture">Their culture, the shop's.</param>
    /// <param name="timeZone">Their time zone, the shop's.</param>
    public static Customer Customer(int index, Random random, Reach reach, string culture, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(reach);
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var id = Id(index);
        return new Customer(id)
        {
            Name = $"{first} {last}",
            Email = reach.Email ? $"{id}@mail.example" : null,
            Phone = reach.Phone ? $"+33 6{index.ToString("00000000", CultureInfo.InvariantCulture)}".Replace(" ", string.Empty, StringComparison.Ordinal) : null,
            PushToken = reach.AppPush ? $"app-{id}" : null,
            WebPushEndpoint = reach.WebPush ? $"https://push.example/{id}" : null,
            ChatId = reach.Chat ? $"chat-{id}" : null,
            Culture = culture,
            TimeZone = timeZone,
        };
    }
}
