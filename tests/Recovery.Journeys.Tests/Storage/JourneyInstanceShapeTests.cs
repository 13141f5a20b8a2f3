using System.Reflection;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Tests.Storage;

/// <summary>
/// <see cref="JourneyInstance"/> is copied field by field by its own constructors (its copy constructor, and the one a
/// step's two instances are made with, which skips the setters' comparisons): a property added to the record and not
/// to those constructors would be lost at the next step. This test lists the properties they copy, so adding one fails
/// here until both constructors (and the in-memory store's slot, which keeps an instance's fields as values) are told.
/// </summary>
public sealed class JourneyInstanceShapeTests
{
    private static readonly string[] CopiedProperties =
    [
        nameof(JourneyInstance.Id), nameof(JourneyInstance.JourneyName), nameof(JourneyInstance.JourneyVersion),
        nameof(JourneyInstance.CorrelationKey), nameof(JourneyInstance.CustomerId), nameof(JourneyInstance.TimeZone),
        nameof(JourneyInstance.Trigger), nameof(JourneyInstance.StartedAt), nameof(JourneyInstance.Status),
        nameof(JourneyInstance.NextStepId), nameof(JourneyInstance.WakeUpAt), nameof(JourneyInstance.StepDueAt),
        nameof(JourneyInstance.StepAttempt), nameof(JourneyInstance.StepProgress), nameof(JourneyInstance.LastStepAt),
        nameof(JourneyInstance.LastSentStepId), nameof(JourneyInstance.LastSentAt), nameof(JourneyInstance.LastSentChannel),
        nameof(JourneyInstance.EndedAt), nameof(JourneyInstance.EndReason), nameof(JourneyInstance.Variables),
    ];

    [Fact]
    public void EverySettableProperty_IsOneTheInstancesCopiesKnow()
    {
        var settable = typeof(JourneyInstance)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(CopiedProperties.Order(StringComparer.Ordinal), settable);
    }
}
