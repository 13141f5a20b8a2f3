using System.Collections.Immutable;
using System.Text.Json;
using NodaTime;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;
using Xunit;

namespace Recovery.Journeys.Testing.Xunit.Conformance;

/// <summary>
/// The contract of <see cref="IJourneyStore"/> as an xunit suite: derive a test class from it, return a new, empty
/// store from <see cref="CreateStoreAsync"/>, and every fact runs against that store. The in-memory, SQLite and
/// PostgreSQL stores all pass it.
/// </summary>
/// <remarks>
/// <para>
/// xunit creates one instance of the class per fact, so each fact gets its own store, created before it runs and
/// disposed after it (<see cref="DisposeStoreAsync"/>). Facts of one class run one after another; give each class its
/// own database, file or schema when classes run in parallel.
/// </para>
/// <para>
/// A store whose claims are leases that can lapse while their holder lives (a timeout, a dropped connection) derives
/// from <see cref="LeasedJourneyStoreConformanceTests"/> instead, which adds the lease facts.
/// </para>
/// <para>
/// Time comes from <see cref="Clock"/>; no fact sleeps. A few facts check that a store waits (for a claim to end,
/// say) by giving it <see cref="WrongProgressWindow"/> to wrongly go ahead, then letting it go ahead rightly.
/// </para>
/// </remarks>
public abstract partial class JourneyStoreConformanceTests : IAsyncLifetime
{
    /// <summary>The journey name most facts use.</summary>
    protected const string Checkout = "checkout-recovery";

    private IJourneyStore? _store;

    /// <summary>
    /// The clock the facts read. A store whose claims time out should take its time from it, so that the facts can
    /// move it; it starts at <see cref="FakeClock.DefaultStart"/> and only moves when a fact moves it.
    /// </summary>
    protected FakeClock Clock { get; } = new();

    /// <summary>The store under test, created before each fact.</summary>
    protected IJourneyStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync, before each fact.");

    /// <summary>
    /// How long a fact that checks a store waits gives the store to wrongly go ahead before letting it go ahead.
    /// Longer catches more broken stores; a correct store is never affected.
    /// </summary>
    /// <value>The default is 200 milliseconds.</value>
    protected virtual TimeSpan WrongProgressWindow => TimeSpan.FromMilliseconds(200);

    /// <summary>How long a fact waits for something that must happen (a claim to be granted after a commit).</summary>
    /// <value>The default is 30 seconds.</value>
    protected virtual TimeSpan Timeout => TimeSpan.FromSeconds(30);

    /// <summary>Creates a new, empty store; called before each fact.</summary>
    /// <returns>The store. It is disposed after the fact by <see cref="DisposeStoreAsync"/>.</returns>
    protected abstract Task<IJourneyStore> CreateStoreAsync();

    /// <summary>Disposes a store after a fact; the default disposes it when it is disposable. Override to drop a test schema.</summary>
    /// <param name="store">The store <see cref="CreateStoreAsync"/> returned.</param>
    protected virtual async Task DisposeStoreAsync(IJourneyStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync().ConfigureAwait(false);

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await DisposeStoreAsync(_store).ConfigureAwait(false);
        }
    }

    /// <summary>Returns a new active instance whose first step, <c>step-1</c>, is due at <paramref name="wakeUpAt"/> (five minutes from now by default).</summary>
    /// <param name="correlationKey">Its key.</param>
    /// <param name="wakeUpAt">When its first step is due.</param>
    /// <param name="journeyName">Its journey.</param>
    /// <param name="customerId">Its customer.</param>
    /// <param name="journeyVersion">Its journey version.</param>
    protected JourneyInstance NewInstance(
        string correlationKey,
        Instant? wakeUpAt = null,
        string journeyName = Checkout,
        string? customerId = "customer-1",
        int journeyVersion = 1)
    {
        var now = Clock.Now;
        return new JourneyInstance
        {
            Id = JourneyInstanceId.New(),
            JourneyName = journeyName,
            JourneyVersion = journeyVersion,
            CorrelationKey = correlationKey,
            CustomerId = customerId,
            TimeZone = "Europe/Paris",
            Trigger = StoredEvent.FromValue(ConformanceEvent.Sample(correlationKey, now)),
            StartedAt = now,
            NextStepId = "step-1",
            WakeUpAt = wakeUpAt ?? now + Duration.FromMinutes(5),
            StepDueAt = wakeUpAt ?? now + Duration.FromMinutes(5),
        };
    }

    /// <summary>Starts <paramref name="instance"/> in the store and checks it started.</summary>
    /// <param name="instance">A new instance.</param>
    /// <returns>The instance.</returns>
    protected async Task<JourneyInstance> StartAsync(JourneyInstance instance)
    {
        var outcome = await Store.TryStartAsync(Start(instance), CancellationToken.None).ConfigureAwait(false);
        Assert.True(outcome.IsStarted, $"TryStartAsync did not start instance {instance.Id} for key '{instance.CorrelationKey}': instance {outcome.ActiveInstanceId} is reported active.");
        return instance;
    }

    /// <summary>
    /// A start of <paramref name="instance"/>: its <c>Entered</c> record, and the refusal the store keeps should an exit
    /// remembered for its key (or its age) refuse it.
    /// </summary>
    /// <param name="instance">The instance.</param>
    /// <param name="occurredAt">The trigger's own instant, if the start carries one.</param>
    protected static JourneyStart Start(JourneyInstance instance, Instant? occurredAt = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new JourneyStart(Entered(instance), exit => Refused(instance, exit)) { OccurredAt = occurredAt };
    }

    /// <summary>What a store keeps for a refused start: the instance ended at once, with one <c>Refused</c> record.</summary>
    /// <param name="instance">The instance that did not start.</param>
    /// <param name="exit">The exit that refused it, or <see langword="null"/> for a stale trigger.</param>
    protected static JourneyTransition Refused(JourneyInstance instance, RememberedExit? exit)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var reason = exit is null ? "stale" : $"{exit.EventType} remembered";
        var refused = instance with { Status = JourneyStatus.Exited, NextStepId = null, WakeUpAt = null, EndedAt = instance.StartedAt, EndReason = reason };
        return new JourneyTransition(refused, [new JourneyRecord(instance.Id, instance.JourneyName, instance.StartedAt, JourneyRecordKind.Refused) { Detail = reason }]);
    }

    /// <summary>The transition that starts an instance: the instance and its <c>Entered</c> record.</summary>
    /// <param name="instance">The instance.</param>
    protected static JourneyTransition Entered(JourneyInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new JourneyTransition(instance, [new JourneyRecord(instance.Id, instance.JourneyName, instance.StartedAt, JourneyRecordKind.Entered)]);
    }

    /// <summary>
    /// The transition after a step ran at <paramref name="now"/>: a <c>Sent</c> record, and the next step due at
    /// <paramref name="nextWakeUpAt"/>.
    /// </summary>
    /// <param name="instance">The instance as claimed.</param>
    /// <param name="now">When the step ran.</param>
    /// <param name="nextStepId">The next step.</param>
    /// <param name="nextWakeUpAt">When it is due.</param>
    protected static JourneyTransition Ran(JourneyInstance instance, Instant now, string nextStepId, Instant nextWakeUpAt)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var record = new JourneyRecord(instance.Id, instance.JourneyName, now, JourneyRecordKind.Sent) { StepId = instance.NextStepId, Channel = "push" };
        var advanced = instance with { LastStepAt = now, LastSentStepId = instance.NextStepId, LastSentAt = now, LastSentChannel = "push", NextStepId = nextStepId, WakeUpAt = nextWakeUpAt };
        return new JourneyTransition(advanced, [record]);
    }

    /// <summary>The transition that ends an instance at <paramref name="now"/> with <paramref name="status"/>.</summary>
    /// <param name="instance">The instance.</param>
    /// <param name="now">When it ends.</param>
    /// <param name="status">How it ends.</param>
    /// <param name="reason">Why.</param>
    /// <param name="value">A conversion's value.</param>
    protected static JourneyTransition Ended(JourneyInstance instance, Instant now, JourneyStatus status, string reason, decimal? value = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var kind = status switch
        {
            JourneyStatus.Converted => JourneyRecordKind.Converted,
            JourneyStatus.Completed => JourneyRecordKind.Completed,
            _ => JourneyRecordKind.Exited,
        };
        var ended = instance with { Status = status, NextStepId = null, WakeUpAt = null, EndedAt = now, EndReason = reason };
        return new JourneyTransition(ended, [new JourneyRecord(instance.Id, instance.JourneyName, now, kind) { Detail = reason, Value = value }]);
    }

    /// <summary>Checks that a store gave back an instance as it was written, trigger and variables included.</summary>
    /// <param name="expected">What was written.</param>
    /// <param name="actual">What the store returned.</param>
    protected static void AssertSameInstance(JourneyInstance expected, JourneyInstance? actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.JourneyName, actual.JourneyName);
        Assert.Equal(expected.JourneyVersion, actual.JourneyVersion);
        Assert.Equal(expected.CorrelationKey, actual.CorrelationKey);
        Assert.Equal(expected.CustomerId, actual.CustomerId);
        Assert.Equal(expected.StartedAt, actual.StartedAt);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.NextStepId, actual.NextStepId);
        Assert.Equal(expected.WakeUpAt, actual.WakeUpAt);
        Assert.Equal(expected.StepDueAt, actual.StepDueAt);
        Assert.Equal(expected.LastStepAt, actual.LastStepAt);
        Assert.Equal(expected.LastSentStepId, actual.LastSentStepId);
        Assert.Equal(expected.EndedAt, actual.EndedAt);
        Assert.Equal(expected.EndReason, actual.EndReason);
        Assert.Equal(expected.TimeZone, actual.TimeZone);
        Assert.Equal(expected.StepAttempt, actual.StepAttempt);
        Assert.Equal(expected.StepProgress, actual.StepProgress);
        Assert.Equal(expected.LastSentAt, actual.LastSentAt);
        Assert.Equal(expected.LastSentChannel, actual.LastSentChannel);
        Assert.Equal(
            expected.Variables.OrderBy(v => v.Key, StringComparer.Ordinal),
            actual.Variables.OrderBy(v => v.Key, StringComparer.Ordinal));
        AssertSameJson(expected.Trigger.ToJson(), actual.Trigger.ToJson());
    }

    /// <summary>Awaits <paramref name="task"/>, failing the fact if it takes longer than <see cref="Timeout"/>.</summary>
    /// <typeparam name="T">The result.</typeparam>
    /// <param name="task">What must happen.</param>
    /// <param name="what">What it is, for the failure message.</param>
    protected async Task<T> Within<T>(Task<T> task, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(Timeout, TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} did not happen within {Timeout}.");
            throw;
        }
    }

    /// <summary>Awaits <paramref name="task"/>, failing the fact if it takes longer than <see cref="Timeout"/>.</summary>
    /// <param name="task">What must happen.</param>
    /// <param name="what">What it is, for the failure message.</param>
    protected async Task Within(Task task, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(Timeout, TimeProvider.System).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} did not happen within {Timeout}.");
            throw;
        }
    }

    /// <summary>Whether <paramref name="task"/> completes within <see cref="WrongProgressWindow"/>: used to check that a store waits.</summary>
    /// <param name="task">What must not happen yet.</param>
    protected async Task<bool> CompletesSoonAsync(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var window = Task.Delay(WrongProgressWindow, TimeProvider.System);
        return await Task.WhenAny(task, window).ConfigureAwait(false) == task;
    }

    private static void AssertSameJson(string expected, string actual)
    {
        using var expectedDocument = System.Text.Json.JsonDocument.Parse(expected);
        using var actualDocument = System.Text.Json.JsonDocument.Parse(actual);
        Assert.True(
            SameJson(expectedDocument.RootElement, actualDocument.RootElement),
            $"The trigger event came back as {actual}; it was written as {expected}.");
    }

#if NET9_0_OR_GREATER
    private static bool SameJson(JsonElement expected, JsonElement actual) => JsonElement.DeepEquals(expected, actual);
#else
    // JsonElement.DeepEquals is .NET 9: the same comparison (property order ignored, numbers by their text) on net8.0.
    private static bool SameJson(JsonElement expected, JsonElement actual) =>
        expected.ValueKind == actual.ValueKind && expected.ValueKind switch
        {
            JsonValueKind.Object => expected.EnumerateObject().Count() == actual.EnumerateObject().Count()
                && expected.EnumerateObject().All(p => actual.TryGetProperty(p.Name, out var other) && SameJson(p.Value, other)),
            JsonValueKind.Array => expected.GetArrayLength() == actual.GetArrayLength()
                && expected.EnumerateArray().Zip(actual.EnumerateArray()).All(pair => SameJson(pair.First, pair.Second)),
            JsonValueKind.String => expected.GetString() == actual.GetString(),
            JsonValueKind.Number => expected.GetRawText() == actual.GetRawText(),
            _ => true,
        };
#endif

    private async Task<List<JourneyRecord>> ReadAllRecordsAsync(JourneyRecordQuery query)
    {
        var records = new List<JourneyRecord>();
        await foreach (var record in Store.ReadRecordsAsync(query, CancellationToken.None).ConfigureAwait(false))
        {
            records.Add(record);
        }

        return records;
    }

    private static ImmutableDictionary<string, string> Variables(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);
}
