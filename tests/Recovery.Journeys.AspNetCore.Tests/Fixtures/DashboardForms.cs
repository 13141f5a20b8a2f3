using System.Net;
using System.Text.RegularExpressions;

namespace Recovery.Journeys.AspNetCore.Tests.Fixtures;

/// <summary>Does what a browser does with the dashboard's forms: reads the page's antiforgery field and cookie, and posts with them.</summary>
internal static partial class DashboardForms
{
    /// <summary>GETs <paramref name="page"/> as <paramref name="user"/>, then POSTs <paramref name="fields"/> to <paramref name="action"/> with the page's token and cookie.</summary>
    public static async Task<HttpResponseMessage> PostFromPageAsync(HttpClient client, string page, string action, IDictionary<string, string> fields, string? user = null, bool remote = false)
    {
        using var get = Request(HttpMethod.Get, page, user, remote);
        using var response = await client.SendAsync(get);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        var token = TokenField().Match(html);
        token.Success.Should().BeTrue("the page shows forms to this user, each with its antiforgery field");
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]) : [];

        var post = Request(HttpMethod.Post, action, user, remote);
        post.Headers.Add("Cookie", string.Join("; ", cookies));
        post.Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value) });
        return await client.SendAsync(post);
    }

    public static HttpRequestMessage Request(HttpMethod method, string url, string? user = null, bool remote = false)
    {
        var request = new HttpRequestMessage(method, url);
        if (user is not null)
        {
            request.Headers.Add(TestAuthentication.Header, user);
        }

        if (remote)
        {
            request.Headers.Add(DashboardHost.RemoteHeader, "yes");
        }

        return request;
    }

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string url, string? user = null, bool remote = false)
    {
        using var request = Request(HttpMethod.Get, url, user, remote);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex TokenField();
}
