using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Recovery.Journeys.AspNetCore.Rendering;

/// <summary>Renders a Razor component to HTML on the server (static rendering: no circuit, no script) as an endpoint's answer.</summary>
internal static class StaticComponent
{
    public static async Task<IResult> RenderAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TComponent>(
        HttpContext http, Dictionary<string, object?> parameters, int statusCode)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(http.RequestServices, http.RequestServices.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var root = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters)).ConfigureAwait(false);
            return root.ToHtmlString();
        }).ConfigureAwait(false);
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }
}
