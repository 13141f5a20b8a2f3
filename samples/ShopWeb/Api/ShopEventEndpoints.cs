using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Recovery.Journeys.Runtime;
using ShopWeb.Shop;

namespace ShopWeb.Api;

/// <summary>
/// The shop's events, as its checkout and payment services would send them: each is checked
/// (<see cref="ShopEventChecks"/>), then published; the answer is the <see cref="PublishResult"/> (instances started
/// and ended). A refused event gets 400 with its problems, field by field, or the journey's reason.
/// </summary>
public static class ShopEventEndpoints
{
    /// <summary>Maps <c>POST /events/checkout-abandoned</c>, <c>/events/order-paid</c> and <c>/events/payment-failed</c>.</summary>
    public static IEndpointRouteBuilder MapShopEvents(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/events");
        events.MapPost("/checkout-abandoned", ([FromBody] CheckoutAbandoned e, JourneyEngine engine, CancellationToken ct) => PublishAsync(e, ShopEventChecks.Problems(e), engine, ct));
        events.MapPost("/order-paid", ([FromBody] OrderPaid e, JourneyEngine engine, CancellationToken ct) => PublishAsync(e, ShopEventChecks.Problems(e), engine, ct));
        events.MapPost("/payment-failed", ([FromBody] PaymentFailed e, JourneyEngine engine, CancellationToken ct) => PublishAsync(e, ShopEventChecks.Problems(e), engine, ct));
        return app;
    }

    private static async Task<Results<Ok<PublishResult>, ValidationProblem, ProblemHttpResult>> PublishAsync<TEvent>(
        TEvent e, Dictionary<string, string[]> problems, JourneyEngine engine, CancellationToken ct)
        where TEvent : class
    {
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems, title: $"The {typeof(TEvent).Name} event is invalid.");
        }

        try
        {
            return TypedResults.Ok(await engine.PublishAsync(e, ct));
        }
        catch (JourneyEventException refused)
        {
            // The journey's reason (a correlation key too long to keep, a filter that threw): the caller's to fix.
            return TypedResults.Problem(refused.Message, statusCode: StatusCodes.Status400BadRequest, title: $"The {typeof(TEvent).Name} event was refused.");
        }
    }
}
