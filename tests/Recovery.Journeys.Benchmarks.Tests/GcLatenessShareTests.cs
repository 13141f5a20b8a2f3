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

    [Fact]
    public void ToString_YoungPauses_SaysWherePauseTimeWentAndWhatTheCardsReached()
    {
        // Two young pauses of 10 ms and 30 ms (40 ms): suspension 1 + 1, cards 2 + 6, after the mark 6 + 20, restart 1 + 3 ms;
        // 3 of the 4 MiB marked were reached through the cards. A background stop without phases is left out.
        GcPause[] pauses =
        [
            Pause(0, 10) with { Phases = Phases(1, 2, 6, 1, cardMiB: 1, markMiB: 1, compacting: true) },
            Pause(20, 50) with { Generation = 1, Phases = Phases(1, 6, 20, 3, cardMiB: 2, markMiB: 3, compacting: false) },
            Pause(60, 61) with { Background = true, Generation = 2 },
        ];

        var text = GcLatenessShare.Of([Send(dueMs: 0, sentMs: 70)], pauses, p99Milliseconds: 70).ToString();

        text.Should().Contain("young collections: 2 pauses, 1 compacting, 40 ms: suspend 5 % (p50 1.0, max 1.0 ms), mark through cards 20 % (p50 6.0, max 6.0 ms), plan+relocate+compact 65 % (p50 20.0, max 20.0 ms), restart 10 % (p50 3.0, max 3.0 ms); 75 % of the bytes marked were reached through the cards");
    }

    private static GcPausePhases Phases(int suspendMs, int cardsMs, int afterMarkMs, int restartMs, int cardMiB, int markMiB, bool compacting) =>
        new(Duration.FromMilliseconds(suspendMs), Duration.FromMilliseconds(cardsMs), Duration.FromMilliseconds(afterMarkMs), Duration.FromMilliseconds(restartMs), cardMiB * 1048576L, markMiB * 1048576L, compacting);

    private static TimedSend Send(int dueMs, int sentMs) =>
        new(Zero + Duration.FromMilliseconds(dueMs), Zero + Duration.FromMilliseconds(sentMs));

    private static GcPause Pause(int startMs, int endMs) =>
        new(Zero + Duration.FromMilliseconds(startMs), Zero + Duration.FromMilliseconds(endMs), Generation: 0, Background: false, PromotedBytes: 0);
}
