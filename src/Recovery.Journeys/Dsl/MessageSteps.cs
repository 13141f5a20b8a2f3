using Recovery.Journeys.Definition;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// The steps that go through channels: messages to the customer (push, web push, e-mail, SMS, chat, on-site), list
/// changes (ad audiences, CRM lists), webhooks, and several channels at once (fallback, fan-out). A message kind of
/// your own goes out with <see cref="StepsBuilder{TEvent, TSelf}.Send{TMessage}(Func{StepContext{TEvent}, TMessage})"/>.
/// </summary>
public static class MessageSteps
{
    /// <summary>Sends an app push notification to the customer.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf Push<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, Action<PushMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => steps.Push(null, configure);

    /// <summary>Sends an app push notification to the customer, as a step with the given id.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="stepId">The step's stable id; the default is <c>push-1</c>, <c>push-2</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf Push<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string? stepId, Action<PushMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, configure, c => c.Push(configure));

    /// <summary>Sends a browser push notification to the customer.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf WebPush<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, Action<WebPushMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => steps.WebPush(null, configure);

    /// <summary>Sends a browser push notification to the customer, as a step with the given id.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="stepId">The step's stable id; the default is <c>web-push-1</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf WebPush<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string? stepId, Action<WebPushMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, configure, c => c.WebPush(configure));

    /// <summary>Sends an e-mail to the customer.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf Email<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, Action<EmailMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => steps.Email(null, configure);

    /// <summary>Sends an e-mail to the customer, as a step with the given id.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="stepId">The step's stable id; the default is <c>email-1</c>, <c>email-2</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf Email<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string? stepId, Action<EmailMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, configure, c => c.Email(configure));

    /// <summary>Sends an SMS to the customer.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="configure">Describes the message; its text is a template.</param>
    public static TSelf Sms<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, Action<SmsMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => steps.Sms(null, configure);

    /// <summary>Sends an SMS to the customer, as a step with the given id.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="stepId">The step's stable id; the default is <c>sms-1</c>, <c>sms-2</c>, ...</param>
    /// <param name="configure">Describes the message; its text is a template.</param>
    public static TSelf Sms<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string? stepId, Action<SmsMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, configure, c => c.Sms(configure));

    /// <summary>Sends a chat message to the customer.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf Chat<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, Action<ChatMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => steps.Chat(null, configure);

    /// <summary>Sends a chat message to the customer, as a step with the given id.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="stepId">The step's stable id; the default is <c>chat-1</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf Chat<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string? stepId, Action<ChatMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, configure, c => c.Chat(configure));

    /// <summary>Shows the customer an on-site or in-app message on their next visit (exit intent, banner).</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf OnSite<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, Action<OnSiteMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => steps.OnSite(null, configure);

    /// <summary>Shows the customer an on-site or in-app message, as a step with the given id.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="stepId">The step's stable id; the default is <c>on-site-1</c>, ...</param>
    /// <param name="configure">Describes the message; its fields are templates.</param>
    public static TSelf OnSite<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string? stepId, Action<OnSiteMessageBuilder> configure)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, configure, c => c.OnSite(configure));

    /// <summary>Adds the customer to a retargeting-ad audience.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="audience">The audience's name or id at the ad platform.</param>
    /// <param name="stepId">The step's stable id; the default is <c>ad-audience-1</c>, ...</param>
    public static TSelf AddToAudience<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string audience, string? stepId = null)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, audience, c => c.AddToAudience(audience));

    /// <summary>Removes the customer from a retargeting-ad audience.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="audience">The audience's name or id at the ad platform.</param>
    /// <param name="stepId">The step's stable id; the default is <c>ad-audience-1</c>, ...</param>
    public static TSelf RemoveFromAudience<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string audience, string? stepId = null)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, audience, c => c.RemoveFromAudience(audience));

    /// <summary>Adds the customer to a CRM contact list (a coupon-eligibility list, say).</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="list">The list's name or id in the CRM.</param>
    /// <param name="stepId">The step's stable id; the default is <c>crm-list-1</c>, ...</param>
    public static TSelf AddToCrmList<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string list, string? stepId = null)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, list, c => c.AddToCrmList(list));

    /// <summary>Removes the customer from a CRM contact list.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="list">The list's name or id in the CRM.</param>
    /// <param name="stepId">The step's stable id; the default is <c>crm-list-1</c>, ...</param>
    public static TSelf RemoveFromCrmList<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string list, string? stepId = null)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, list, c => c.RemoveFromCrmList(list));

    /// <summary>Calls a webhook: a POST of <paramref name="payload"/>, written as JSON, to <paramref name="url"/>.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="url">The endpoint, an absolute http or https URL.</param>
    /// <param name="payload">Builds the object to send for one run.</param>
    /// <param name="stepId">The step's stable id; the default is <c>webhook-1</c>, ...</param>
    public static TSelf Webhook<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string url, Func<StepContext<TEvent>, object> payload, string? stepId = null)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Single(steps, stepId, payload, c => c.Webhook(url, payload));

    /// <summary>
    /// Sends on the first of several channels that reaches the customer and works: <c>.Fallback(c =&gt; c.Sms(...).Email(...))</c>
    /// is "SMS, or e-mail if there is no phone number". A channel is passed over when the customer cannot be reached
    /// on it, opted out of it, or it failed for good (after its retries).
    /// </summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="channels">The channels, in order of preference.</param>
    public static TSelf Fallback<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, Action<ChannelSetBuilder<TEvent>> channels)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => steps.Fallback(null, channels);

    /// <summary>Sends on the first of several channels that works, as a step with the given id.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="stepId">The step's stable id; the default is <c>fallback-1</c>, ...</param>
    /// <param name="channels">The channels, in order of preference.</param>
    public static TSelf Fallback<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string? stepId, Action<ChannelSetBuilder<TEvent>> channels)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Checked(steps).AddChannelStep(stepId, "fallback", ChannelMode.Fallback, channels);

    /// <summary>
    /// Sends on every channel the customer can be reached on, together: <c>.FanOut(c =&gt; c.Push(...).WebPush(...))</c>.
    /// Each channel gets its own idempotency key (<c>{instance}:{step}:{channel}</c>); on a retry, channels already done are not sent again.
    /// </summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="channels">The channels.</param>
    public static TSelf FanOut<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, Action<ChannelSetBuilder<TEvent>> channels)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => steps.FanOut(null, channels);

    /// <summary>Sends on every channel the customer can be reached on, as a step with the given id.</summary>
    /// <param name="steps">The journey or path.</param>
    /// <param name="stepId">The step's stable id; the default is <c>fan-out-1</c>, ...</param>
    /// <param name="channels">The channels.</param>
    public static TSelf FanOut<TEvent, TSelf>(this StepsBuilder<TEvent, TSelf> steps, string? stepId, Action<ChannelSetBuilder<TEvent>> channels)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => Checked(steps).AddChannelStep(stepId, "fan-out", ChannelMode.FanOut, channels);

    private static TSelf Single<TEvent, TSelf>(StepsBuilder<TEvent, TSelf> steps, string? stepId, object? argument, Action<ChannelSetBuilder<TEvent>> add)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf>
    {
        Checked(steps).Scope.EnsureNotBuilt();
        ArgumentNullException.ThrowIfNull(argument);
        return steps.AddChannelStep(stepId, null, ChannelMode.Single, add);
    }

    private static StepsBuilder<TEvent, TSelf> Checked<TEvent, TSelf>(StepsBuilder<TEvent, TSelf> steps)
        where TEvent : class
        where TSelf : StepsBuilder<TEvent, TSelf> => steps ?? throw new ArgumentNullException(nameof(steps));
}
