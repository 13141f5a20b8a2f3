using Recovery.Journeys.Relational;

namespace Recovery.Journeys.Sqlite.Tests.Relational;

/// <summary>The shared open-once of the SQL stores (src/Recovery.Journeys.Relational), as compiled into this package.</summary>
public sealed class StoreInitializationTests
{
    [Fact]
    public async Task EnsureAsync_ConcurrentCallers_ShareOneRun()
    {
        var runs = 0;
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var initialization = new StoreInitialization(() => { runs++; return open.Task; }, this);

        var first = initialization.EnsureAsync(CancellationToken.None);
        var second = initialization.EnsureAsync(CancellationToken.None);
        open.SetResult();
        await Task.WhenAll(first, second);
        await initialization.EnsureAsync(CancellationToken.None);

        runs.Should().Be(1);
    }

    [Fact]
    public async Task EnsureAsync_AfterAFailedRun_RunsAgain()
    {
        var runs = 0;
        var initialization = new StoreInitialization(
            () => ++runs == 1 ? Task.FromException(new InvalidOperationException("database down")) : Task.CompletedTask,
            this);

        var first = () => initialization.EnsureAsync(CancellationToken.None);
        await first.Should().ThrowAsync<InvalidOperationException>();
        await initialization.EnsureAsync(CancellationToken.None);

        runs.Should().Be(2);
    }

    [Fact]
    public async Task EnsureAsync_CallerCancels_StopsItsWaitButNotTheRun()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var initialization = new StoreInitialization(() => open.Task, this);
        using var cancel = new CancellationTokenSource();

        var cancelled = initialization.EnsureAsync(cancel.Token);
        var other = initialization.EnsureAsync(CancellationToken.None);
        await cancel.CancelAsync();

        await cancelled.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        open.SetResult();
        await other;
    }

    [Fact]
    public async Task Close_ReturnsTheRunToWaitFor_AndLaterCallsFailAsDisposed()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var initialization = new StoreInitialization(() => open.Task, this);
        var running = initialization.EnsureAsync(CancellationToken.None);

        var closing = initialization.Close();
        open.SetResult();

        closing.Should().BeSameAs(open.Task);
        await running;
        var later = () => initialization.EnsureAsync(CancellationToken.None);
        await later.Should().ThrowAsync<ObjectDisposedException>();
    }
}
