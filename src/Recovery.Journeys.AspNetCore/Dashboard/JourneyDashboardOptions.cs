using System.Globalization;
using NodaTime;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>Settings of the operator dashboard mapped by <c>MapRecoveryJourneysDashboard</c>.</summary>
/// <remarks>
/// <para>
/// <b>Who may see it.</b> Without an authorization policy on its endpoints (the host's
/// <c>MapRecoveryJourneysDashboard(...).RequireAuthorization("policy")</c>), the dashboard serves local requests only,
/// as Hangfire's does, and says so on every page. With one, the host's policy decides who views it.
/// </para>
/// <para>
/// <b>Who may act.</b> Every action (pause, resume, cancel an instance, erase a customer) is a POST that needs an
/// antiforgery token and, on a dashboard with an authorization policy, the separate <see cref="ActionPolicy"/>: without
/// it, such a dashboard is read-only. A local-only dashboard lets local requests act. <see cref="ReadOnly"/> turns every
/// action off.
/// </para>
/// </remarks>
public sealed class JourneyDashboardOptions
{
    private readonly Dictionary<Type, object> _sampleEvents = [];

    /// <summary>The authorization policy a user needs to act (pause, resume, cancel, erase), on top of the one to view.</summary>
    /// <value>The default is <see langword="null"/>: a dashboard with a viewing policy is then read-only.</value>
    public string? ActionPolicy { get; set; }

    /// <summary>Whether the dashboard only shows: no action, whoever asks.</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool ReadOnly { get; set; }

    /// <summary>The page title, e.g. the shop's name.</summary>
    /// <value>The default is <c>Recovery journeys</c>.</value>
    public string Title { get; set; } = "Recovery journeys";

    /// <summary>The culture figures, dates and money are written in.</summary>
    /// <value>The default is <c>en-GB</c>.</value>
    public CultureInfo Culture { get; set; } = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The shop's ISO 4217 currency (<c>EUR</c>), or <see langword="null"/> for plain amounts.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? Currency { get; set; }

    /// <summary>The shop's time zone: days of reports ("today", daily trends) are its days, and viewers see times in it unless they pick another.</summary>
    /// <value>The default is UTC.</value>
    public DateTimeZone TimeZone { get; set; } = DateTimeZone.Utc;

    /// <summary>The cultures previews are rendered in, each with the customer's culture set to it.</summary>
    /// <value>Empty by default: the sample customer's culture, or the journey's default.</value>
    public IList<string> PreviewCultures { get; } = [];

    /// <summary>The customer previews are rendered for.</summary>
    /// <value>The default is a made-up customer with an e-mail address, a phone number and a push token, so every channel renders.</value>
    public Customer SampleCustomer { get; set; } = new("sample-customer")
    {
        Name = "Camille Exemple",
        Email = "camille@example.com",
        Phone = "+33600000000",
        PushToken = "sample-push-token",
        WebPushEndpoint = "https://push.example.com/sample",
        ChatId = "sample-chat",
    };

    /// <summary>How far back the failures page looks.</summary>
    /// <value>The default is 7 days.</value>
    public Duration FailuresWindow { get; set; } = Duration.FromDays(7);

    /// <summary>The most instances a search shows.</summary>
    /// <value>The default is 200.</value>
    public int MaxSearchResults { get; set; } = 200;

    /// <summary>The sample events registered for previews, by their type.</summary>
    internal IReadOnlyDictionary<Type, object> SampleEvents => _sampleEvents;

    /// <summary>
    /// Registers the event previews render the journeys it triggers with (a made-up <c>CheckoutAbandoned</c>). Without
    /// one, previews use the last real trigger of the journey, with the customer's contact details masked.
    /// </summary>
    /// <typeparam name="TEvent">The event type; journeys triggered by it or by a base type use it.</typeparam>
    /// <param name="sampleEvent">The event.</param>
    /// <returns>These options.</returns>
    public JourneyDashboardOptions AddSampleEvent<TEvent>(TEvent sampleEvent)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(sampleEvent);
        _sampleEvents[typeof(TEvent)] = sampleEvent;
        return this;
    }
}
