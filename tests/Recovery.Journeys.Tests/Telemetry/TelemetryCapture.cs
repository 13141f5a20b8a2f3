using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Recovery.Journeys.Telemetry;

namespace Recovery.Journeys.Tests.Telemetry;

/// <summary>
/// Captures everything the library emits for one journey: log entries (message, state values, exception), metric
/// measurements and finished activities. Meters and activity sources are process-wide, so measurements and activities
/// of other tests' journeys are filtered out by the journey tag.
/// </summary>
internal sealed class TelemetryCapture : ILoggerProvider
{
    private readonly string _journey;
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;

    public TelemetryCapture(string journey)
    {
        _journey = journey;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == JourneyTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Measured(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Measured(instrument, value, tags));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == JourneyTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem(JourneyTelemetry.JourneyTag) as string == _journey)
                {
                    Activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> State, string? Exception)> Logs { get; } = new();

    public ConcurrentQueue<(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)> Measurements { get; } = new();

    public ConcurrentBag<Activity> Activities { get; } = [];

    /// <summary>Every string the library handed to logs, metrics and traces, for searching.</summary>
    public IEnumerable<string> AllText() =>
        Logs.SelectMany(l => new[] { l.Message, l.Exception ?? string.Empty }.Concat(l.State.Select(s => $"{s.Key}={s.Value}")))
            .Concat(Measurements.SelectMany(m => m.Tags.Select(t => $"{m.Instrument} {t.Key}={t.Value}")))
            .Concat(Activities.SelectMany(a => new[] { a.DisplayName, a.OperationName, a.StatusDescription ?? string.Empty }
                .Concat(a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}").Append(e.Name)))
                .Concat(a.Baggage.Select(b => $"{b.Key}={b.Value}"))));

    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        Measurements.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }

    private void Measured<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        if (dictionary.GetValueOrDefault(JourneyTelemetry.JourneyTag) as string == _journey)
        {
            Measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), dictionary));
        }
    }

    private sealed class Logger(TelemetryCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner.Logs.Enqueue((logLevel, eventId, formatter(state, exception), values.ToList(), exception?.ToString()));
        }
    }
}
