using Recovery.Journeys.Definition;
using Recovery.Journeys.Experiments;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Reports;

/// <summary>Makes a <see cref="JourneyReport"/> from the timeline entries a store keeps; works on every store.</summary>
public static class JourneyReports
{
    private static readonly HashSet<JourneyRecordKind> Kept =
    [
        JourneyRecordKind.Entered, JourneyRecordKind.Assigned, JourneyRecordKind.Sent, JourneyRecordKind.Skipped, JourneyRecordKind.Failed,
        JourneyRecordKind.Converted, JourneyRecordKind.Completed, JourneyRecordKind.Exited, JourneyRecordKind.CouponIssued,
        JourneyRecordKind.CouponRaised, JourneyRecordKind.CouponRevoked, JourneyRecordKind.CouponWithheld,
    ];

    /// <summary>
    /// Reads the timeline entries of <paramref name="journey"/> from <paramref name="store"/> and reports on the instances
    /// that entered in the period, every version of the journey together.
    /// </summary>
    /// <param name="store">The store the engine writes to.</param>
    /// <param name="journey">The journey, for its steps' order, its experiments and its holdout (its latest version).</param>
    /// <param name="options">The period and the confidence level; every instance at 95 % when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException">The options' period ends before it starts, or the confidence level is not between 0.5 and 0.9999.</exception>
    public static async ValueTask<JourneyReport> CreateAsync(IJourneyStore store, JourneyDefinition journey, JourneyReportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(journey);
        options ??= new JourneyReportOptions();
        if (options.From is { } from && options.To is { } to && to < from)
        {
            throw new ArgumentException($"The report's period ends ({to}) before it starts ({from}).", nameof(options));
        }

        if (!(options.ConfidenceLevel is >= 0.5 and <= 0.9999))
        {
            throw new ArgumentException($"The confidence level must be between 0.5 and 0.9999, was {options.ConfidenceLevel}.", nameof(options));
        }

        // Each instance's entries, kept whole: an instance is in the report when it entered in the period.
        var timelines = new Dictionary<JourneyInstanceId, List<JourneyRecord>>();
        var refused = 0;
        await foreach (var record in store.ReadRecordsAsync(new JourneyRecordQuery(journey.Name, options.From), cancellationToken).ConfigureAwait(false))
        {
            if (record.Kind == JourneyRecordKind.Refused)
            {
                refused += options.To is null || record.At < options.To ? 1 : 0;
            }
            else if (Kept.Contains(record.Kind))
            {
                if (!timelines.TryGetValue(record.InstanceId, out var timeline))
                {
                    timelines[record.InstanceId] = timeline = [];
                }

                timeline.Add(record);
            }
        }

        var instances = timelines.Values
            .Select(InstanceFacts.Of)
            .Where(i => i.EnteredAt is { } at && (options.From is null || at >= options.From) && (options.To is null || at < options.To))
            .ToList();
        return Summarise(journey, options, instances) with { Refused = refused };
    }

    private static JourneyReport Summarise(JourneyDefinition journey, JourneyReportOptions options, List<InstanceFacts> instances)
    {
        var deliveries = instances.SelectMany(i => i.Deliveries).ToList();
        var conversions = instances.Where(i => i.Conversion is not null).Select(i => i.Conversion!).ToList();
        var attributed = conversions.Where(c => c.StepId is not null).ToList();

        var messageSteps = journey.Steps.Concat(journey.ExitSteps).Where(s => s.SendsMessages).Select(s => (s.Id, s.Channel)).ToList();
        foreach (var unknown in deliveries.Select(d => d.StepId).Concat(attributed.Select(c => c.StepId)).OfType<string>().Distinct())
        {
            // A step of an older version that the latest no longer has.
            if (!messageSteps.Exists(s => s.Id == unknown) && journey.FindStep(unknown) is null)
            {
                messageSteps.Add((unknown, string.Join('|', deliveries.Where(d => d.StepId == unknown).Select(d => d.Channel).Distinct())));
            }
        }

        var arms = ExperimentArms.Of(journey);
        var steps = messageSteps.Select(s =>
        {
            var channels = Channels(deliveries.Where(d => d.StepId == s.Id), attributed.Where(c => c.StepId == s.Id));
            var converted = attributed.Where(c => c.StepId == s.Id).ToList();
            var arm = arms.GetValueOrDefault(s.Id);
            var skippedBy = deliveries
                .Where(d => d.StepId == s.Id && d.Kind == JourneyRecordKind.Skipped && d.Detail != Holdout.SkipReason)
                .GroupBy(d => SkipReasons.Category(d.Detail))
                .Select(g => new SkipReasonCount(g.Key, g.Count()))
                .OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal)
                .ToList();
            return new StepReport(
                s.Id,
                s.Channel,
                channels.Sum(c => c.Sent),
                channels.Sum(c => c.Skipped),
                channels.Sum(c => c.HeldOut),
                channels.Sum(c => c.Failed),
                converted.Count,
                converted.Sum(c => c.Value ?? 0m),
                channels)
            {
                Experiment = arm.Experiment,
                Variant = arm.Variant,
                SkippedBy = skippedBy,
            };
        }).ToList();

        var inJourney = instances.Where(i => i.Group != Holdout.HoldoutGroup).ToList();
        return new JourneyReport
        {
            JourneyName = journey.Name,
            From = options.From,
            To = options.To,
            ConfidenceLevel = options.ConfidenceLevel,
            Entered = instances.Count,
            Converted = conversions.Count,
            AttributedConversions = attributed.Count,
            Revenue = conversions.Sum(c => c.Value ?? 0m),
            RecoveredRevenue = attributed.Sum(c => c.Value ?? 0m),
            Completed = instances.Count(i => i.End == JourneyRecordKind.Completed),
            Exited = instances.Count(i => i.End == JourneyRecordKind.Exited),
            Steps = steps,
            CouponSteps = CouponStepReports.Of(journey, instances.SelectMany(i => i.Coupons).ToList(), arms),
            Channels = Channels(deliveries.Where(d => messageSteps.Exists(s => s.Id == d.StepId)), attributed),
            Experiments = Experiments(journey, inJourney, options.ConfidenceLevel),
            Holdout = journey.HoldoutPercent > 0 || instances.Exists(i => i.Group == Holdout.HoldoutGroup) ? HoldoutOf(journey, instances, options.ConfidenceLevel) : null,
            Days = Days(instances, options.TimeZone),
            TimeZone = options.TimeZone.Id,
        };
    }

    private static List<ChannelReport> Channels(IEnumerable<JourneyRecord> deliveries, IEnumerable<JourneyRecord> conversions)
    {
        var byChannel = deliveries.Where(d => d.Channel is not null).GroupBy(d => d.Channel!).ToDictionary(g => g.Key, g => g.ToList());
        // A conversion after a fan-out step carries every channel it sent on (push+web-push): it counts under each.
        var converted = conversions.Where(c => c.Channel is not null)
            .SelectMany(c => c.Channel!.Split('+', StringSplitOptions.RemoveEmptyEntries).Select(channel => (Channel: channel, Conversion: c)))
            .GroupBy(c => c.Channel).ToDictionary(g => g.Key, g => g.Select(c => c.Conversion).ToList());
        return byChannel.Keys.Union(converted.Keys).Order(StringComparer.Ordinal).Select(channel =>
        {
            var records = byChannel.GetValueOrDefault(channel) ?? [];
            var wins = converted.GetValueOrDefault(channel) ?? [];
            return new ChannelReport(
                channel,
                records.Count(r => r.Kind == JourneyRecordKind.Sent),
                records.Count(r => r.Kind == JourneyRecordKind.Skipped && r.Detail != Holdout.SkipReason),
                records.Count(r => r.Kind == JourneyRecordKind.Skipped && r.Detail == Holdout.SkipReason),
                records.Count(r => r.Kind == JourneyRecordKind.Failed),
                wins.Count,
                wins.Sum(w => w.Value ?? 0m));
        }).ToList();
    }

    private static List<ExperimentReport> Experiments(JourneyDefinition journey, List<InstanceFacts> instances, double confidence)
    {
        var names = journey.Experiments.Select(e => e.Name).Concat(instances.SelectMany(i => i.Variants.Keys)).Distinct(StringComparer.Ordinal);
        return names.Select(name =>
        {
            var assigned = instances.Where(i => i.Variants.ContainsKey(name)).ToList();
            var declared = journey.Experiments.FirstOrDefault(e => e.Name == name)?.Variants ?? [];
            var variantNames = declared.Select(v => v.Name).Concat(assigned.Select(i => i.Variants[name])).Distinct(StringComparer.Ordinal);
            var variants = variantNames.Select(variant =>
            {
                var mine = assigned.Where(i => i.Variants[name] == variant).ToList();
                var others = assigned.Where(i => i.Variants[name] != variant).ToList();
                var converted = mine.Count(i => i.Conversion is not null);
                return new VariantReport(
                    variant,
                    declared.FirstOrDefault(v => v.Name == variant).Weight,
                    mine.Count,
                    converted,
                    mine.Sum(i => i.Conversion?.Value ?? 0m),
                    Uplift.Compare(converted, mine.Count, others.Count(i => i.Conversion is not null), others.Count, confidence));
            }).ToList();
            return new ExperimentReport(name, variants);
        }).ToList();
    }

    private static List<DayReport> Days(List<InstanceFacts> instances, NodaTime.DateTimeZone zone) =>
        instances
            .GroupBy(i => i.EnteredAt!.Value.InZone(zone).Date)
            .OrderBy(g => g.Key)
            .Select(g => new DayReport(
                g.Key,
                g.Count(),
                g.Count(i => i.Conversion is not null),
                g.Sum(i => i.Conversion?.Value ?? 0m),
                g.Where(i => i.Conversion?.StepId is not null).Sum(i => i.Conversion!.Value ?? 0m)))
            .ToList();

    private static HoldoutReport HoldoutOf(JourneyDefinition journey, List<InstanceFacts> instances, double confidence)
    {
        var treated = Group(Holdout.JourneyGroup, instances.Where(i => i.Group != Holdout.HoldoutGroup));
        var held = Group(Holdout.HoldoutGroup, instances.Where(i => i.Group == Holdout.HoldoutGroup));
        var incremental = IncrementalRevenue.Of(
            instances.Where(i => i.Group != Holdout.HoldoutGroup && i.Conversion is not null).Select(i => i.Conversion!.Value ?? 0m).ToList(),
            treated.Entered,
            instances.Where(i => i.Group == Holdout.HoldoutGroup && i.Conversion is not null).Select(i => i.Conversion!.Value ?? 0m).ToList(),
            held.Entered,
            confidence);
        return new HoldoutReport(journey.HoldoutPercent, treated, held, Uplift.Compare(treated.Converted, treated.Entered, held.Converted, held.Entered, confidence))
        {
            IncrementalRevenue = incremental,
        };

        static GroupReport Group(string name, IEnumerable<InstanceFacts> members)
        {
            var list = members.ToList();
            return new GroupReport(name, list.Count, list.Count(i => i.Conversion is not null), list.Sum(i => i.Conversion?.Value ?? 0m));
        }
    }

    /// <summary>What the report needs from one instance's timeline.</summary>
    private sealed record InstanceFacts(
        NodaTime.Instant? EnteredAt,
        string? Group,
        IReadOnlyDictionary<string, string> Variants,
        IReadOnlyList<JourneyRecord> Deliveries,
        IReadOnlyList<JourneyRecord> Coupons,
        JourneyRecord? Conversion,
        JourneyRecordKind? End)
    {
        public static InstanceFacts Of(List<JourneyRecord> timeline)
        {
            var variants = new Dictionary<string, string>(StringComparer.Ordinal);
            string? group = null;
            foreach (var assigned in timeline.Where(r => r.Kind == JourneyRecordKind.Assigned && r.Detail is not null))
            {
                if (assigned.Channel == Holdout.Name && assigned.StepId is null)
                {
                    group = assigned.Detail;
                }
                else if (assigned.StepId is not null)
                {
                    variants[assigned.StepId] = assigned.Detail!;
                }
            }

            var end = timeline.LastOrDefault(r => r.Kind is JourneyRecordKind.Converted or JourneyRecordKind.Completed or JourneyRecordKind.Exited);
            return new InstanceFacts(
                timeline.FirstOrDefault(r => r.Kind == JourneyRecordKind.Entered)?.At,
                group,
                variants,
                timeline.Where(r => r.Kind is JourneyRecordKind.Sent or JourneyRecordKind.Skipped or JourneyRecordKind.Failed && r.StepId is not null && !CouponStepReports.IsCouponRecord(r)).ToList(),
                timeline.Where(CouponStepReports.IsCouponRecord).ToList(),
                end?.Kind == JourneyRecordKind.Converted ? end : null,
                end?.Kind);
        }
    }
}
