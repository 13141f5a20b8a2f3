using Recovery.Journeys.Channels;
using Recovery.Journeys.Comparison.Shop;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Comparison.Peers;

/// <summary>
/// The library's channel interfaces on the shop's channels: what a shop writes once per provider. The library hands a
/// channel the journey instance, not the shop's order id, so the recorded id is the instance's (a node maps it back).
/// </summary>
public sealed class LibraryChannels(IShopChannels shop) : IChannelResolver, IChannel<PushMessage>, IChannel<EmailMessage>
{
    public IChannel<TMessage>? Resolve<TMessage>()
        where TMessage : class => this as IChannel<TMessage>;

    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<PushMessage> delivery, CancellationToken cancellationToken)
    {
        await shop.PushAsync(delivery.InstanceId.Value.ToString(), delivery.StepId, delivery.Recipient.PushToken!, delivery.Message.DeepLink ?? "", delivery.Message.Body, cancellationToken).ConfigureAwait(false);
        return DeliveryReceipt.Sent();
    }

    public async ValueTask<DeliveryReceipt> SendAsync(Delivery<EmailMessage> delivery, CancellationToken cancellationToken)
    {
        await shop.EmailAsync(delivery.InstanceId.Value.ToString(), delivery.StepId, delivery.Recipient.Email!, delivery.Message.Subject, delivery.Message.HtmlBody ?? "", cancellationToken).ConfigureAwait(false);
        return DeliveryReceipt.Sent();
    }
}
