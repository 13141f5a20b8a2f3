using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Extensions;
using Recovery.Journeys.AspNetCore.Json;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.AspNetCore.Dashboard;

/// <summary>The dashboard's pages (GET) and actions (POST, redirecting back with a notice), mapped on one group.</summary>
internal static class DashboardEndpoints
{
    private static readonly JsonSerializerOptions PreviewJson = new(RecoveryJourneysJson.CreateOptions()) { WriteIndented = true };

    public static void Map(RouteGroupBuilder group, string prefix)
    {
        group.AddEndpointFilter(DashboardAccess.FilterAsync);
        group.MapGet("/", Handler(http => JourneysAsync(http, prefix)));
        group.MapGet("/journey/{name}", (HttpContext http, string name) => JourneyAsync(http, prefix, name));
        group.MapGet("/journey/{name}/preview", (HttpContext http, string name) => PreviewAsync(http, prefix, name));
        group.MapGet("/instances", Handler(http => InstancesAsync(http, prefix)));
        group.MapGet("/instance/{id}", (HttpContext http, string id) => InstanceAsync(http, prefix, id));
        group.MapGet("/failures", Handler(http => FailuresAsync(http, prefix)));
        group.MapPost("/journey/{name}/pause", (HttpContext http, string name) => PauseAsync(http, prefix, name)).WithMetadata(DashboardAccess.ActionEndpoint.Instance);
        group.MapPost("/journey/{name}/resume", (HttpContext http, string name) => ResumeAsync(http, prefix, name)).WithMetadata(DashboardAccess.ActionEndpoint.Instance);
        group.MapPost("/instance/{id}/cancel", (HttpContext http, string id) => CancelAsync(http, prefix, id)).WithMetadata(DashboardAccess.ActionEndpoint.Instance);
        group.MapPost("/customer/erase", Handler(http => EraseAsync(http, prefix))).WithMetadata(DashboardAccess.ActionEndpoint.Instance);
    }

    /// <summary>A handler of the request alone, as a route handler whose result is written (not a RequestDelegate).</summary>
    private static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    private static async Task<IResult> JourneysAsync(HttpContext http, string prefix)
    {
        var (context, options, engine) = await RequestAsync(http, prefix).ConfigureAwait(false);
        var period = DashboardPeriod.Of(http.Request.Query, Now(http), options.TimeZone);
        var reports = new List<(JourneyDefinition, JourneyReport)>();
        foreach (var journey in Latest(engine))
        {
            reports.Add((journey, await engine.ReportAsync(journey.Name, ReportOptions(period, options), http.RequestAborted).ConfigureAwait(false)));
        }

        var pauses = await engine.GetPausesAsync(http.RequestAborted).ConfigureAwait(false);
        return Page(JourneysPage.Render(context, period, reports, pauses));
    }

    private static async Task<IResult> JourneyAsync(HttpContext http, string prefix, string name)
    {
        var (context, options, engine) = await RequestAsync(http, prefix).ConfigureAwait(false);
        if (Latest(engine).FirstOrDefault(j => j.Name == name) is not { } journey)
        {
            return Results.NotFound();
        }

        var period = DashboardPeriod.Of(http.Request.Query, Now(http), options.TimeZone);
        var report = await engine.ReportAsync(name, ReportOptions(period, options), http.RequestAborted).ConfigureAwait(false);
        var pauses = await engine.GetPausesAsync(http.RequestAborted).ConfigureAwait(false);
        return Page(JourneyPage.Render(context, period, journey, report, pauses.FirstOrDefault(p => p.JourneyName == name)));
    }

    private static async Task<IResult> PreviewAsync(HttpContext http, string prefix, string name)
    {
        var (context, options, engine) = await RequestAsync(http, prefix).ConfigureAwait(false);
        if (Latest(engine).FirstOrDefault(j => j.Name == name) is not { } journey)
        {
            return Results.NotFound();
        }

        var events = http.RequestServices.GetService<IOptions<JourneyEngineOptions>>()?.Value.EventSerializerOptions ?? JourneyJson.DefaultOptions;
        var sample = await DashboardPreviews.SampleEventAsync(engine, options, events, journey, context.Time, http.RequestAborted).ConfigureAwait(false);
        var renderings = sample.Event is null ? [] : await DashboardPreviews.RenderAsync(engine, options, journey, sample.Event, http.RequestAborted).ConfigureAwait(false);
        return Page(PreviewPage.Render(context, journey, sample.Description, renderings, PreviewJson));
    }

    private static async Task<IResult> InstancesAsync(HttpContext http, string prefix)
    {
        var (context, options, engine) = await RequestAsync(http, prefix).ConfigureAwait(false);
        var query = http.Request.Query["q"].ToString().Trim();
        var found = new List<JourneyInstance>();
        if (query.Length > 0)
        {
            if (Guid.TryParse(query, out var guid)
                && await http.RequestServices.GetRequiredService<IJourneyStore>().GetAsync(new JourneyInstanceId(guid), http.RequestAborted).ConfigureAwait(false) is { } byId)
            {
                found.Add(byId);
            }

            found.AddRange(await engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: query), http.RequestAborted).ConfigureAwait(false));
            found.AddRange(await engine.FindInstancesAsync(new JourneyInstanceQuery(CustomerId: query), http.RequestAborted).ConfigureAwait(false));
        }

        var shown = found.DistinctBy(i => i.Id).OrderByDescending(i => i.StartedAt).Take(options.MaxSearchResults).ToList();
        return Page(InstancesPage.Render(context, query, shown, Now(http), options.MaxSearchResults));
    }

    private static async Task<IResult> InstanceAsync(HttpContext http, string prefix, string id)
    {
        var (context, _, engine) = await RequestAsync(http, prefix).ConfigureAwait(false);
        if (!Guid.TryParse(id, out var guid)
            || await http.RequestServices.GetRequiredService<IJourneyStore>().GetAsync(new JourneyInstanceId(guid), http.RequestAborted).ConfigureAwait(false) is not { } instance)
        {
            return Results.NotFound();
        }

        var timeline = await engine.GetTimelineAsync(instance.Id, http.RequestAborted).ConfigureAwait(false);
        var viewerZone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(http.Request.Query["tz"].ToString()) ?? context.ShopZone;
        return Page(InstancePage.Render(context, instance, timeline, Now(http), viewerZone));
    }

    private static async Task<IResult> FailuresAsync(HttpContext http, string prefix)
    {
        const int Max = 500;
        var (context, options, _) = await RequestAsync(http, prefix).ConfigureAwait(false);
        var store = http.RequestServices.GetRequiredService<IJourneyStore>();
        var failures = new List<JourneyRecord>();
        await foreach (var record in store.ReadRecordsAsync(new JourneyRecordQuery(From: Now(http) - options.FailuresWindow), http.RequestAborted).ConfigureAwait(false))
        {
            if (record.Kind is JourneyRecordKind.Failed or JourneyRecordKind.RetryScheduled)
            {
                failures.Add(record);
            }
        }

        return Page(FailuresPage.Render(context, options.FailuresWindow, [.. failures.OrderByDescending(r => r.At).Take(Max)], Max));
    }

    private static async Task<IResult> PauseAsync(HttpContext http, string prefix, string name)
    {
        var engine = http.RequestServices.GetRequiredService<JourneyEngine>();
        if (!engine.Journeys.Any(j => j.Name == name))
        {
            return Results.NotFound();
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var admit = form["admit"] == "true";
        await engine.PauseAsync(name, admit, http.RequestAborted).ConfigureAwait(false);
        return Back(http, prefix, $"journey/{Uri.EscapeDataString(name)}", $"{name} is paused{(admit ? "; new instances still enter and wait" : "; new triggers are suppressed")}.");
    }

    private static async Task<IResult> ResumeAsync(HttpContext http, string prefix, string name)
    {
        var engine = http.RequestServices.GetRequiredService<JourneyEngine>();
        if (!engine.Journeys.Any(j => j.Name == name))
        {
            return Results.NotFound();
        }

        var resumed = await engine.ResumeAsync(name, http.RequestAborted).ConfigureAwait(false);
        return Back(http, prefix, $"journey/{Uri.EscapeDataString(name)}", resumed ? $"{name} is running again; the steps it held are due now." : $"{name} was not paused.");
    }

    private static async Task<IResult> CancelAsync(HttpContext http, string prefix, string id)
    {
        if (!Guid.TryParse(id, out var guid))
        {
            return Results.NotFound();
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var reason = form["reason"].ToString().Trim();
        if (reason.Length == 0)
        {
            return Results.BadRequest("A reason is needed.");
        }

        var engine = http.RequestServices.GetRequiredService<JourneyEngine>();
        var cancelled = await engine.CancelInstanceAsync(new JourneyInstanceId(guid), $"cancelled by {Who(http)}: {reason}", http.RequestAborted).ConfigureAwait(false);
        return Back(http, prefix, $"instance/{id}", cancelled ? "The instance is cancelled." : "The instance had already ended: nothing changed.");
    }

    private static async Task<IResult> EraseAsync(HttpContext http, string prefix)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var customer = form["customer"].ToString().Trim();
        if (customer.Length == 0 || customer != form["confirm"].ToString().Trim())
        {
            return Back(http, prefix, "instances", "Nothing erased: type the same customer id in both fields.");
        }

        var erased = await http.RequestServices.GetRequiredService<JourneyEngine>().EraseCustomerAsync(customer, http.RequestAborted).ConfigureAwait(false);
        return Back(http, prefix, "instances", $"Erased {erased} instance(s) of customer {customer}, with their events and timelines.");
    }

    private static async Task<(DashboardContext Context, JourneyDashboardOptions Options, JourneyEngine Engine)> RequestAsync(HttpContext http, string prefix)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JourneyDashboardOptions>>().Value;
        var context = await DashboardContext.CreateAsync(http, options, prefix).ConfigureAwait(false);
        return (context, options, http.RequestServices.GetRequiredService<JourneyEngine>());
    }

    /// <summary>The latest version of each journey, in the order they were registered.</summary>
    private static IEnumerable<JourneyDefinition> Latest(JourneyEngine engine) =>
        engine.Journeys.GroupBy(j => j.Name, StringComparer.Ordinal).Select(g => g.MaxBy(j => j.Version)!);

    private static JourneyReportOptions ReportOptions(DashboardPeriod period, JourneyDashboardOptions options) =>
        new() { From = period.From, To = period.To, TimeZone = options.TimeZone };

    private static Instant Now(HttpContext http) => http.RequestServices.GetRequiredService<TimeProvider>().GetCurrentInstant();

    private static string Who(HttpContext http) => http.User.Identity?.Name is { Length: > 0 } name ? name : "a local operator";

    private static IResult Page(string html) => Results.Content(html, "text/html; charset=utf-8");

    private static IResult Back(HttpContext http, string prefix, string relative, string notice) =>
        Results.Redirect($"{http.Request.PathBase}{prefix.TrimEnd('/')}/{relative}?notice={Uri.EscapeDataString(notice)}");
}
