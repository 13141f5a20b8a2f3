using Microsoft.Extensions.DependencyInjection.Extensions;
using Recovery.Journeys.Adapters;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Webhooks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the webhook channel inside <c>AddRecoveryJourneys(journeys =&gt; ...)</c>.</summary>
public static class WebhooksRecoveryJourneysBuilderExtensions
{
    /// <summary>
    /// Sends the journeys' webhook calls with <see cref="WebhookChannel"/>, replacing any other webhook channel:
    /// <c>journeys.UseWebhooks(webhooks =&gt; webhooks.Secret = configuration["Webhooks:Secret"]!)</c>.
    /// </summary>
    /// <remarks>
    /// Registers the named <see cref="HttpClient"/> <see cref="WebhookChannel.HttpClientName"/> with
    /// <c>IHttpClientFactory</c>, without its own timeout (the channel's <see cref="WebhookOptions.Timeout"/>, on the
    /// container's <see cref="TimeProvider"/>, bounds each call) and without following redirects. The channel is a
    /// singleton, created with the container's <see cref="TimeProvider"/> and
    /// <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>. The options are validated when the host starts (every
    /// problem listed at once); they can also be bound from configuration with
    /// <c>services.Configure&lt;WebhookOptions&gt;(section)</c>.
    /// </remarks>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Sets the secret and, if needed, the timeout.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UseWebhooks(this RecoveryJourneysBuilder builder, Action<WebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddValidatedOptions<WebhookOptions, WebhookOptionsValidator>(configure);
        services.AddHttpClient(WebhookChannel.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        services.Replace(ServiceDescriptor.Singleton<IChannel<WebhookMessage>>(provider =>
        {
            var clients = provider.GetRequiredService<IHttpClientFactory>();
            return AdapterRegistration.Create<WebhookOptions, WebhookChannel>(
                provider,
                (options, timeProvider, loggerFactory) => new WebhookChannel(() => clients.CreateClient(WebhookChannel.HttpClientName), options, timeProvider, loggerFactory));
        }));
        return builder;
    }
}
