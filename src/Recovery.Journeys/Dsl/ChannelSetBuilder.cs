using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Storage;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// Lists the channels of one step, in order: <c>.Fallback(c =&gt; c.Sms(...).Email(...))</c> sends on the first
/// that reaches the customer and works; <c>.FanOut(c =&gt; c.Push(...).WebPush(...))</c> sends on all of them.
/// </summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
public sealed class ChannelSetBuilder<TEvent>
    where TEvent : class
{
    internal ChannelSetBuilder()
    {
    }

    internal List<PendingMember> Members { get; } = [];

    /// <summary>Adds an app push notification.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public ChannelSetBuilder<TEvent> Push(Action<PushMessageBuilder> configure) => AddTemplated<PushMessage, PushMessageBuilder>(configure, new PushMessageBuilder());

    /// <summary>Adds a browser push notification.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public ChannelSetBuilder<TEvent> WebPush(Action<WebPushMessageBuilder> configure) => AddTemplated<WebPushMessage, WebPushMessageBuilder>(configure, new WebPushMessageBuilder());

    /// <summary>Adds an e-mail.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public ChannelSetBuilder<TEvent> Email(Action<EmailMessageBuilder> configure) => AddTemplated<EmailMessage, EmailMessageBuilder>(configure, new EmailMessageBuilder());

    /// <summary>Adds an SMS.</summary>
    /// <param name="configure">Describes the message; its text is a template.</param>
    public ChannelSetBuilder<TEvent> Sms(Action<SmsMessageBuilder> configure) => AddTemplated<SmsMessage, SmsMessageBuilder>(configure, new SmsMessageBuilder());

    /// <summary>Adds a chat message.</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public ChannelSetBuilder<TEvent> Chat(Action<ChatMessageBuilder> configure) => AddTemplated<ChatMessage, ChatMessageBuilder>(configure, new ChatMessageBuilder());

    /// <summary>Adds an on-site or in-app message (exit intent, banner).</summary>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public ChannelSetBuilder<TEvent> OnSite(Action<OnSiteMessageBuilder> configure) => AddTemplated<OnSiteMessage, OnSiteMessageBuilder>(configure, new OnSiteMessageBuilder());

    /// <summary>Adds the customer to a retargeting-ad audience.</summary>
    /// <param name="audience">The audience's name or id at the ad platform.</param>
    public ChannelSetBuilder<TEvent> AddToAudience(string audience) => AddMembership(audience, MembershipChange.Add, (n, c) => new AudienceUpdate(n, c));

    /// <summary>Removes the customer from a retargeting-ad audience.</summary>
    /// <param name="audience">The audience's name or id at the ad platform.</param>
    public ChannelSetBuilder<TEvent> RemoveFromAudience(string audience) => AddMembership(audience, MembershipChange.Remove, (n, c) => new AudienceUpdate(n, c));

    /// <summary>Adds the customer to a CRM contact list.</summary>
    /// <param name="list">The list's name or id in the CRM.</param>
    public ChannelSetBuilder<TEvent> AddToCrmList(string list) => AddMembership(list, MembershipChange.Add, (n, c) => new CrmListUpdate(n, c));

    /// <summary>Removes the customer from a CRM contact list.</summary>
    /// <param name="list">The list's name or id in the CRM.</param>
    public ChannelSetBuilder<TEvent> RemoveFromCrmList(string list) => AddMembership(list, MembershipChange.Remove, (n, c) => new CrmListUpdate(n, c));

    /// <summary>Adds a webhook call: a POST of <paramref name="payload"/>, written as JSON, to <paramref name="url"/>.</summary>
    /// <param name="url">The endpoint, an absolute http or https URL.</param>
    /// <param name="payload">Builds the object to send for one run; written with <see cref="JourneyJson.DefaultOptions"/>, by reflection (in a trimmed or AOT app, use the overload with a <see cref="JsonTypeInfo{T}"/>).</param>
    public ChannelSetBuilder<TEvent> Webhook(string url, Func<StepContext<TEvent>, object> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Webhook(url, context =>
        {
            var value = payload(context);
            return JsonSerializer.Serialize(value, JourneyJson.DefaultOptions.GetTypeInfo(value.GetType()));
        });
    }

    /// <summary>Adds a webhook call: a POST of <paramref name="payload"/>, written as JSON by <paramref name="payloadType"/>, to <paramref name="url"/>; no reflection (trimmed and AOT apps).</summary>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <param name="url">The endpoint, an absolute http or https URL.</param>
    /// <param name="payload">Builds the object to send for one run.</param>
    /// <param name="payloadType">The payload's JSON contract, from your source-generated context (<c>MyJsonContext.Default.MyPayload</c>).</param>
    public ChannelSetBuilder<TEvent> Webhook<TPayload>(string url, Func<StepContext<TEvent>, TPayload> payload, JsonTypeInfo<TPayload> payloadType)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(payloadType);
        return Webhook(url, context => JsonSerializer.Serialize(payload(context), payloadType));
    }

    private ChannelSetBuilder<TEvent> Webhook(string url, Func<StepContext<TEvent>, string> json)
    {
        ArgumentNullException.ThrowIfNull(url);
        var missing = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? null
            : $"the webhook URL '{url}' is not an absolute http(s) URL";
        return Send(context => new WebhookMessage(url, json(context)), missing);
    }

    /// <summary>Adds a message of a host-defined kind, sent through the host's <see cref="IChannel{TMessage}"/>.</summary>
    /// <typeparam name="TMessage">The message kind; name its channel with <see cref="ChannelNameAttribute"/>, its contact with <see cref="RequiresContactAttribute"/>.</typeparam>
    /// <param name="compose">Builds the message for one send.</param>
    public ChannelSetBuilder<TEvent> Send<TMessage>(Func<StepContext<TEvent>, TMessage> compose)
        where TMessage : class => Send(compose, missing: null);

    private ChannelSetBuilder<TEvent> Send<TMessage>(Func<StepContext<TEvent>, TMessage> compose, string? missing)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(compose);
        Members.Add(new PendingMember(ChannelNameAttribute.Of(typeof(TMessage)), typeof(TMessage), missing, _ => new ComposedPart<TEvent, TMessage>(compose)));
        return this;
    }

    private ChannelSetBuilder<TEvent> AddMembership<TMessage>(string name, MembershipChange change, Func<string, MembershipChange, TMessage> create)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(name);
        var message = create(name, change);
        return Send(_ => message, string.IsNullOrWhiteSpace(name) ? $"the {ChannelNameAttribute.Of(typeof(TMessage))} name is empty" : null);
    }

    private ChannelSetBuilder<TEvent> AddTemplated<TMessage, TBuilder>(Action<TBuilder> configure, TBuilder builder)
        where TMessage : class
        where TBuilder : TemplatedMessageBuilder<TMessage, TBuilder>
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(builder);
        Members.Add(new PendingMember(ChannelNameAttribute.Of(typeof(TMessage)), typeof(TMessage), builder.Missing(), compiler =>
        {
            // A message of constant texts renders without a model: a send then makes none.
            var before = compiler.ModelTemplates;
            var render = builder.Compile(compiler);
            return new TemplatedPart<TEvent, TMessage>(render, builder.HasVariants || compiler.ModelTemplates > before);
        }));
        return this;
    }

    internal sealed record PendingMember(string Channel, Type MessageType, string? Missing, Func<StepTemplateCompiler, MessagePart<TEvent>> Create);
}
