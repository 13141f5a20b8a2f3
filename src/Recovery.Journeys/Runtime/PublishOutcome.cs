using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Runtime;

/// <summary>What one publication did, gathered as it goes (<see cref="EventRouter"/>), until it is a <see cref="PublishResult"/>.</summary>
/// <remarks>
/// Each kind is an array of exactly its instances, made at its first and grown by one at each other, and handed to the
/// result as it is: a publication starts or ends one instance or a few (one per journey), so a start costs one array
/// of one, where a list cost the list and its array. A mutable structure, a local of the publication (never copied):
/// a publication that completes at once allocates nothing for it but its arrays.
/// </remarks>
internal struct PublishOutcome
{
    private JourneyInstanceId[]? _started;
    private JourneyInstanceId[]? _ended;
    private JourneyInstanceId[]? _ignored;
    private JourneyInstanceId[]? _resumed;
    private JourneyInstanceId[]? _waitsRestarted;
    private List<SuppressedStart>? _suppressed;

    public void Started(JourneyInstanceId id) => Add(ref _started, id);

    public void Ended(JourneyInstanceId id) => Add(ref _ended, id);

    public void Ignored(JourneyInstanceId id) => Add(ref _ignored, id);

    public void Resumed(JourneyInstanceId id) => Add(ref _resumed, id);

    public void WaitRestarted(JourneyInstanceId id) => Add(ref _waitsRestarted, id);

    public void Suppressed(SuppressedStart start) => (_suppressed ??= new(1)).Add(start);

    /// <summary>Records what a start did (<see cref="StartReport"/>).</summary>
    public void Add(in StartReport report)
    {
        switch (report.Kind)
        {
            case StartReportKind.Started:
                Started(report.Id);
                for (var i = 0; i < (report.Ended?.Count ?? 0); i++)
                {
                    Ended(report.Ended![i].Instance.Id);
                }

                break;
            case StartReportKind.Ignored:
                Ignored(report.Id);
                break;
            default:
                Suppressed(report.Suppressed!);
                break;
        }
    }

    // An empty kind is the shared empty array.
    public readonly PublishResult ToResult() => new()
    {
        Started = _started ?? [],
        Ended = _ended ?? [],
        Ignored = _ignored ?? [],
        Resumed = _resumed ?? [],
        WaitsRestarted = _waitsRestarted ?? [],
        Suppressed = (IReadOnlyList<SuppressedStart>?)_suppressed ?? [], // not `_suppressed ?? []`: that is a new List
    };

    private static void Add(ref JourneyInstanceId[]? ids, JourneyInstanceId id)
    {
        if (ids is null)
        {
            ids = [id];
            return;
        }

        Array.Resize(ref ids, ids.Length + 1);
        ids[^1] = id;
    }
}
