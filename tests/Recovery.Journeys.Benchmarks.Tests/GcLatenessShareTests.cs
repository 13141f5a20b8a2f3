using NodaTime;
using Recovery.Journeys.Benchmarks.Lateness;

namespace Recovery.Journeys.Benchmarks.Tests;

/// <summary>
/// The lateness run's attribution of late steps to garbage-collection pauses: a pause counts for a step by the time it
/// overlaps between the step's due instant and its send, and no more.
/// </summary>
public sealed class GcLatenessShareTests
{
    private static readonly Instant Zero = Instant.FromUtc(2026, 12, 1, 10, 0);

    [Fact]
    public void Of_PausesInsideAndAcrossSends_TakesOutOnlyTheOverlap()
    {
        TimedSend[] sends =
        [
            Send(dueMs: 0, sentMs: 5),   // 5 ms late, 2 ms of it in the pause from 2 to 4 ms: 3 ms left
            Send(dueMs: 10, sentMs: 11), // 1 ms late, no pause: 1 ms left
            Send(dueMs: 20, sentMs: 50), // 30 ms late, the pause from 30 to 60 ms overlaps 20 ms of it: 10 ms left
        ];
        GcPause[] pauses = [Pause(2, 4), Pause(30, 60), Pause(100, 110)];

        var share = GcLatenessShare.Of(sends, pauses, p99Milliseconds: 30);

        share.Pauses.Should().HaveCount(2, "the pause from 100 ms starts after the last send");
        share.Over10Ms.Should().Be(1);
        share.Over10MsBehindPause.Should().Be(1);
        share.TailSteps.Should().Be(1);
        share.TailBehindPause.Should().Be(1);
        share.WithoutPauses.Max.Should().BeApproximately(10, 1e-9);
        share.WithoutPauses.P50.Should().BeApproximately(3, 1e-9);
        share.WithoutPauses.Min.Should().BeApproximately(1, 1e-9);
    }

    [Fact]
    public void Of_APauseBeforeTheStepWasDue_ExplainsNothing()
    {
        var share = GcLatenessShare.Of([Send(dueMs: 40, sentMs: 55)], [Pause(10, 39)], p99Milliseconds: 15);

        share.Over10Ms.Should().Be(1);
        share.Over10MsBehindPause.Should().Be(0);
        share.WithoutPauses.Max.Should().BeApproximately(15, 1e-9);
    }

    private static TimedSend Send(int dueMs, int sentMs) =>
        new(Zero + Duration.FromMilliseconds(dueMs), Zero + Duration.FromMilliseconds(sentMs));

    private static GcPause Pause(int startMs, int endMs) =>
        new(Zero + Duration.FromMilliseconds(startMs), Zero + Duration.FromMilliseconds(endMs), Generation: 0, Background: false, PromotedBytes: 0);
}
