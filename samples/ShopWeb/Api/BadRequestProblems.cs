using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ShopWeb.Api;

/// <summary>
/// Turns a request the endpoints cannot read (malformed JSON, a number where a text is expected, no body) into a 400
/// problem that says what is wrong and where (<c>Path: $.items[0].price</c>), instead of an empty 400.
/// </summary>
/// <remarks>Needs <c>RouteHandlerOptions.ThrowOnBadRequest</c>, so that minimal APIs throw what they would only log.</remarks>
public sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        var detail = bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = bad.StatusCode, Title = "The request could not be read.", Detail = detail },
        });
    }
}
