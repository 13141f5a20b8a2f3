using System.Text.RegularExpressions;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Reports;
using Recovery.Journeys.Storage;

namespace CheckoutRecovery.Simulation;

/// <summary>
/// Prints an instance's timeline, one entry a line with its time after the start (<c>+01:00:00</c>), and under each
/// send the message the channel received, rendered. Every scenario prints its timelines with it.
/// </summary>
public static partial class TimelineWriter
{
    private const string Indent = "        ";

    /// <summary>Writes the timeline.</summary>
    /// <param name="output">Where to write it.</param>
    /// <param name="story">The instance, its timeline and its messages.</param>
    /// <param name="format">How amounts are written: the shop's culture and currency; euros the French way when <see langword="null"/>.</param>
    public static void Write(TextWriter output, InstanceStory story, ReportFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(story);
        foreach (var record in story.Timeline)
        {
            var offset = Offset(record.At - story.Instance.StartedAt);
            switch (record.Kind)
            {
                case JourneyRecordKind.Sent when record.Channel == "action":
                    output.WriteLine($"  {offset}  {record.StepId} ran (host action)");
                    break;
                case JourneyRecordKind.Sent:
                    output.WriteLine($"  {offset}  {record.StepId} sent ({record.Channel})");

                    // A step with several channels (a fan-out) has one entry per channel: show each its own message.
                    foreach (var message in story.Messages.Where(m => m.StepId == record.StepId && (m.Channel is null || m.Channel == record.Channel)))
                    {
                        WriteMessage(output, message.Message);
                    }

                    break;
                case JourneyRecordKind.Converted:
                    output.WriteLine(
                        $"  {offset}  paid {(format is null ? FrenchFormat.Euros(record.Value ?? 0m) : format.Money(record.Value ?? 0m))}: converted ({record.Detail}), " +
                        $"attributed to {record.StepId ?? "no reminder"}");
                    break;
                case JourneyRecordKind.Entered or JourneyRecordKind.Completed:
                    output.WriteLine($"  {offset}  {record.Kind.ToString().ToLowerInvariant()}");
                    break;
                case JourneyRecordKind.Assigned:
                    output.WriteLine(record.StepId is not null ? $"  {offset}  assigned to {record.StepId}: {record.Detail}"
                        : record.Detail == "holdout" ? $"  {offset}  in the holdout: sent nothing"
                        : $"  {offset}  not in the holdout");
                    break;
                case JourneyRecordKind.Branched:
                    output.WriteLine($"  {offset}  {record.StepId}: took the '{record.Detail}' path");
                    break;
                case JourneyRecordKind.Exited or JourneyRecordKind.Refused:
                    output.WriteLine($"  {offset}  {Words(record.Kind)}: {record.Detail}");
                    break;
                default:
                    output.WriteLine($"  {offset}  {Words(record.Kind)} {record.StepId}: {record.Detail}");
                    break;
            }
        }
    }

    /// <summary>Writes a time after the start as hours, minutes and seconds: <c>+24:30:00</c>.</summary>
    /// <param name="duration">The time after the start.</param>
    public static string Offset(Duration duration) =>
        $"+{(long)duration.TotalHours:00}:{duration.Minutes:00}:{duration.Seconds:00}";

    /// <summary>Writes a rendered message, indented under its timeline entry.</summary>
    /// <param name="output">Where to write it.</param>
    /// <param name="message">The message the channel received.</param>
    public static void WriteMessage(TextWriter output, object message)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (message)
        {
            case PushMessage push:
                output.WriteLine($"{Indent}push  [{push.Icon}] {push.Title}");
                output.WriteLine($"{Indent}      {push.Body}");
                output.WriteLine($"{Indent}      tap -> {push.DeepLink}");
                break;
            case WebPushMessage push:
                output.WriteLine($"{Indent}web push  {push.Title}");
                output.WriteLine($"{Indent}          {push.Body}");
                output.WriteLine($"{Indent}          click -> {push.Url}");
                break;
            case EmailMessage email:
                output.WriteLine($"{Indent}e-mail  Objet : {email.Subject}");
                foreach (var line in (email.TextBody ?? string.Empty).Split('\n'))
                {
                    output.WriteLine($"{Indent}  | {line.TrimEnd('\r')}".TrimEnd());
                }

                if (email.HtmlBody is not { Length: > 0 } html)
                {
                    break;
                }

                output.WriteLine(
                    $"{Indent}  HTML body: {html.Length} characters, {ImageTag().Count(html)} <img>, " +
                    $"{LinkTag().Count(html)} links");
                break;
            case SmsMessage sms:
                output.WriteLine($"{Indent}sms  {sms.Text}");
                output.WriteLine($"{Indent}     ({sms.Encoding}, {sms.Segments} segment{(sms.Segments == 1 ? string.Empty : "s")})");
                break;
            case ChatMessage chat:
                output.WriteLine($"{Indent}chat  {chat.Text}");
                if (chat.QuickReplies.Count > 0)
                {
                    output.WriteLine($"{Indent}      quick replies: {string.Join(" | ", chat.QuickReplies)}");
                }

                break;
            case OnSiteMessage onSite:
                output.WriteLine($"{Indent}on-site ({onSite.Placement})  {onSite.Title}");
                output.WriteLine($"{Indent}      {onSite.Body}");
                if (onSite.ActionText is not null)
                {
                    output.WriteLine($"{Indent}      [{onSite.ActionText}] -> {onSite.ActionUrl}");
                }

                break;
            case AudienceUpdate audience:
                output.WriteLine($"{Indent}ad audience  {Change(audience.Change)} '{audience.Audience}'");
                break;
            case CrmListUpdate list:
                output.WriteLine($"{Indent}CRM list  {Change(list.Change)} '{list.List}'");
                break;
            default:
                output.WriteLine($"{Indent}{message}");
                break;
        }
    }

    private static string Change(MembershipChange change) => change == MembershipChange.Add ? "added to" : "removed from";

    /// <summary>A record kind in words: <c>CouponWithheld</c> is "coupon withheld".</summary>
    private static string Words(JourneyRecordKind kind) => CapitalLetter().Replace(kind.ToString(), " $0").Trim().ToLowerInvariant();

    [GeneratedRegex("[A-Z]")]
    private static partial Regex CapitalLetter();

    [GeneratedRegex("<img ")]
    private static partial Regex ImageTag();

    [GeneratedRegex("<a href=\"https://")]
    private static partial Regex LinkTag();
}
