using System.Text;
using NodaTime;
using NodaTime.Text;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;

namespace CheckoutRecovery.Channels;

/// <summary>
/// A channel that prints each message as it goes out, with how long after its due instant it was sent: the hosted
/// demo's stand-in for a push provider or an e-mail API. Created by the container (<c>AddChannel&lt;PushMessage,
/// ConsoleChannel&lt;PushMessage&gt;&gt;()</c>), like a real channel.
/// </summary>
/// <typeparam name="TMessage">The message kind.</typeparam>
public sealed class ConsoleChannel<TMessage> : IChannel<TMessage>
    where TMessage : class
{
    private static readonly InstantPattern Time = InstantPattern.CreateWithInvariantCulture("HH:mm:ss.fff");
    private readonly OutboxChannel<TMessage> _outbox;

    /// <summary>Creates the channel.</summary>
    /// <param name="timeProvider">The clock the engine runs on.</param>
    public ConsoleChannel(TimeProvider timeProvider) => _outbox = new OutboxChannel<TMessage>(timeProvider, Print);

    /// <inheritdoc />
    public ValueTask<DeliveryReceipt> SendAsync(Delivery<TMessage> delivery, CancellationToken cancellationToken) =>
        _outbox.SendAsync(delivery, cancellationToken);

    private static void Print(OutboxEntry<TMessage> entry)
    {
        var delivery = entry.Delivery;
        var late = entry.At - delivery.DueAt;
        var text = new StringBuilder()
            .Append(Time.Format(entry.At)).Append("  ").Append(delivery.StepId).Append(" -> ").Append(delivery.Recipient.Name)
            .Append(" (due ").Append(Time.Format(delivery.DueAt)).Append(", sent ").Append(late.TotalMilliseconds.ToString("0")).AppendLine(" ms after)");
        switch (delivery.Message)
        {
            case PushMessage push:
                text.Append("              [").Append(push.Icon).Append("] ").AppendLine(push.Title)
                    .Append("              ").AppendLine(push.Body);
                break;
            case EmailMessage email:
                text.Append("              Objet : ").AppendLine(email.Subject)
                    .Append("              to ").Append(delivery.Recipient.Email).Append(", ")
                    .Append(email.HtmlBody?.Length ?? 0).AppendLine(" characters of HTML");
                break;
        }

        // One write per message, so that messages sent at the same time do not interleave.
        Console.Write(text.ToString());
    }
}
