using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AotHost;

/// <summary>The requests the AOT host makes to itself, each answer checked; the failures, described.</summary>
internal static partial class WebChecks
{
    public static async Task<List<string>> RunAsync(Uri server, Uri unsubscribeLink, UnsubscribeRecorder unsubscriptions)
    {
        var failures = new List<string>();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = server };

        // The dashboard: the journeys page lists the journey; a journey page carries the antiforgery token its forms post.
        var journeys = await http.GetAsync(new Uri("/journeys/", UriKind.Relative));
        var journeysPage = await journeys.Content.ReadAsStringAsync();
        Expect(failures, "GET /journeys/", journeys.StatusCode == HttpStatusCode.OK && journeysPage.Contains("checkout-recovery", StringComparison.Ordinal) && journeys.Content.Headers.ContentType?.MediaType == "text/html", $"{(int)journeys.StatusCode}, {journeysPage.Length} characters");

        var journeyPage = await (await http.GetAsync(new Uri("/journeys/journey/checkout-recovery", UriKind.Relative))).Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(journeyPage);
        Expect(failures, "GET /journeys/journey/checkout-recovery: an antiforgery field", token.Success, journeyPage.Length + " characters");

        // An action without the token is refused; with it, the journey is paused and the page says so.
        var forged = await http.PostAsync(new Uri("/journeys/journey/checkout-recovery/pause", UriKind.Relative), new FormUrlEncodedContent([]));
        Expect(failures, "POST pause without a token", forged.StatusCode == HttpStatusCode.BadRequest, ((int)forged.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (token.Success)
        {
            var paused = await http.PostAsync(
                new Uri("/journeys/journey/checkout-recovery/pause", UriKind.Relative),
                new FormUrlEncodedContent([new(token.Groups["name"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value))]));
            var pausedPage = await paused.Content.ReadAsStringAsync();
            Expect(failures, "POST pause with the token", paused.StatusCode == HttpStatusCode.OK && pausedPage.Contains("checkout-recovery is paused", StringComparison.Ordinal), $"{(int)paused.StatusCode}, {paused.RequestMessage?.RequestUri}");
        }

        // The library's types as JSON, through the host's generated handler and the library's source-generated context.
        var json = await (await http.GetAsync(new Uri("/api/instances/A-1001", UriKind.Relative))).Content.ReadAsStringAsync();
        Expect(failures, "GET /api/instances/A-1001", InstanceJsonIsAsDocumented(json), json);

        // Unsubscribe: the GET shows a button and changes nothing; the one-click POST reports the customer; a changed link is refused.
        var page = await http.GetAsync(new Uri(unsubscribeLink.PathAndQuery, UriKind.Relative));
        Expect(failures, "GET unsubscribe link", page.StatusCode == HttpStatusCode.OK && (await page.Content.ReadAsStringAsync()).Contains("<button type=\"submit\">Unsubscribe</button>", StringComparison.Ordinal) && unsubscriptions.Received.Count == 0, ((int)page.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var oneClick = await http.PostAsync(new Uri(unsubscribeLink.PathAndQuery, UriKind.Relative), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Expect(failures, "POST one-click unsubscribe", oneClick.StatusCode == HttpStatusCode.OK && unsubscriptions.Received is [{ CustomerId: "c-1", Channel: "push", OneClick: true }], $"{(int)oneClick.StatusCode}, {unsubscriptions.Received.Count} unsubscription(s)");
        var changed = await http.GetAsync(new Uri(unsubscribeLink.PathAndQuery.Replace("c-1", "c-2", StringComparison.Ordinal), UriKind.Relative));
        Expect(failures, "GET a changed unsubscribe link", changed.StatusCode == HttpStatusCode.BadRequest, ((int)changed.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The health check: the store answers, the worker has run the due step, nothing is overdue.
        var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        var status = await health.Content.ReadAsStringAsync();
        Expect(failures, "GET /health", health.StatusCode == HttpStatusCode.OK && status == "Healthy", $"{(int)health.StatusCode} {status}");

        Console.WriteLine($"web checks: {failures.Count} failed");
        return failures;
    }

    /// <summary>One instance of order A-1001, with its id, instants and status as strings (docs/aspnetcore.md).</summary>
    private static bool InstanceJsonIsAsDocumented(string json)
    {
        if (!json.StartsWith('['))
        {
            return false;
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() != 1)
        {
            return false;
        }

        var instance = list[0];
        return instance.GetProperty("correlationKey").GetString() == "A-1001"
            && instance.GetProperty("id").GetString() is { Length: 32 } id && id.All(Uri.IsHexDigit)
            && instance.GetProperty("status").ValueKind == JsonValueKind.String
            && instance.GetProperty("startedAt").GetString() is { } started && started.EndsWith('Z')
            && instance.GetProperty("trigger").GetProperty("orderId").GetString() == "A-1001";
    }

    private static void Expect(List<string> failures, string what, bool ok, string got)
    {
        Console.WriteLine($"{(ok ? "ok    " : "FAILED")} {what}");
        if (!ok)
        {
            failures.Add($"{what}: got {got}");
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
