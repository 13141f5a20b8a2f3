using Microsoft.Extensions.Logging;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime;

/// <summary>The engine's log events: ids and reasons only, never a customer's name, e-mail address or phone number.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "No journey listens to {EventType}; the event is ignored")]
    public static partial void EventUnhandled(ILogger logger, string eventType);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Journey {Journey} started instance {InstanceId}")]
    public static partial void Started(ILogger logger, string journey, JourneyInstanceId instanceId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Journey {Journey} instance {InstanceId} ended: {Status}")]
    public static partial void Ended(ILogger logger, string journey, JourneyInstanceId instanceId, JourneyStatus status);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Journey {Journey} did not start: {Reason}")]
    public static partial void StartSuppressed(ILogger logger, string journey, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Journey {Journey} refused a trigger: {Reason}")]
    public static partial void StartRefused(ILogger logger, string journey, string reason);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Journey {Journey} step {StepId} ({Channel}) of instance {InstanceId}: {Outcome}")]
    public static partial void StepRan(ILogger logger, string journey, string stepId, string channel, JourneyInstanceId instanceId, JourneyRecordKind outcome);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Journey {Journey} step {StepId} of instance {InstanceId} threw {ExceptionType}; the step is recorded as failed. Stack trace: {StackTrace}")]
    public static partial void StepThrew(ILogger logger, string journey, string stepId, JourneyInstanceId instanceId, string exceptionType, string stackTrace);

    [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "Journey {Journey} instance {InstanceId} cannot run and is ended: {Reason}")]
    public static partial void CannotRun(ILogger logger, string journey, JourneyInstanceId instanceId, string reason);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Journey {Journey} step {StepId} of instance {InstanceId} ran but its claim was lost; another worker runs it again with the same idempotency key")]
    public static partial void ClaimLost(ILogger logger, Exception exception, string journey, string stepId, JourneyInstanceId instanceId);
}
