using Recovery.Journeys.Relational;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Sqlite.Tests.Relational;

/// <summary>The shared in-process claim table and claim-wait loop (src/Recovery.Journeys.Relational), as compiled into this package.</summary>
public sealed class HeldClaimsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HeldClaims<object> _claims = new();
    private readonly JourneyInstanceId _instance = JourneyInstanceId.New();

    [Fact]
    public void TryHold_AnInstanceAlreadyHeld_IsRefusedUntilItsClaimReleasesIt()
    {
        var first = new object();
        var second = new object();

        _claims.TryHold(_instance, first).Should().BeTrue();
        _claims.TryHold(_instance, second).Should().BeFalse();
        _claims.Release(_instance, second).Should().BeFalse("only the holder releases");
        _claims.Release(_instance, first).Should().BeTrue();
        _claims.TryHold(_instance, second).Should().BeTrue();
        _claims.Holds(_instance, second).Should().BeTrue();
        _claims.Holds(_instance, first).Should().BeFalse();
    }

    [Fact]
    public async Task RetryWhileHeldAsync_WaitsForTheReleaseThenRunsTheAttemptAgain()
    {
        var claim = new object();
        _claims.TryHold(_instance, claim);
        var attempts = 0;

        var write = _claims.RetryWhileHeldAsync(
            _ => Task.FromResult(++attempts == 1 || _claims.IsHeld(_instance) ? (0, (JourneyInstanceId?)_instance) : (42, null)),
            CancellationToken.None);
        await Task.Yield();

        write.IsCompleted.Should().BeFalse("the write waits for the claim");
        _claims.Release(_instance, claim);
        (await write.WaitAsync(Timeout)).Should().Be(42);
        attempts.Should().Be(2);
    }

    [Fact]
    public async Task RetryWhileHeldAsync_ClaimReleasedBetweenTheAttemptAndTheWait_RunsAgainAtOnce()
    {
        var claim = new object();
        _claims.TryHold(_instance, claim);
        var attempts = 0;

        var result = await _claims.RetryWhileHeldAsync(
            _ =>
            {
                if (++attempts > 1)
                {
                    return Task.FromResult((42, (JourneyInstanceId?)null));
                }

                _claims.Release(_instance, claim);
                return Task.FromResult((0, (JourneyInstanceId?)_instance));
            },
            CancellationToken.None).WaitAsync(Timeout);

        result.Should().Be(42);
    }

    [Fact]
    public async Task DropAll_FailsTheWritesWaitingForAClaim()
    {
        _claims.TryHold(_instance, new object());
        var write = _claims.RetryWhileHeldAsync(_ => Task.FromResult((0, (JourneyInstanceId?)_instance)), CancellationToken.None);

        _claims.DropAll(new ObjectDisposedException("store"));

        await write.Invoking(w => w).Should().ThrowAsync<ObjectDisposedException>();
        _claims.Count.Should().Be(0);
    }
}
