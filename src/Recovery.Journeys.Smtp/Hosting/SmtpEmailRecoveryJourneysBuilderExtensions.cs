using Microsoft.Extensions.DependencyInjection.Extensions;
using Recovery.Journeys.Adapters;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Smtp;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SMTP e-mail channel inside <c>AddRecoveryJourneys(journeys =&gt; ...)</c>.</summary>
public static class SmtpEmailRecoveryJourneysBuilderExtensions
{
    /// <summary>
    /// Sends the journeys' e-mails through an SMTP server with <see cref="SmtpEmailChannel"/>, replacing any other
    /// e-mail channel: <c>journeys.UseSmtpEmail(smtp =&gt; { smtp.Host = "smtp.example.com"; smtp.FromAddress = "shop@example.com"; })</c>.
    /// </summary>
    /// <remarks>
    /// The channel is a singleton, created with the container's <see cref="TimeProvider"/> (which measures its
    /// timeout) and <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>. The options are validated when the host
    /// starts (every problem listed at once); they can also be bound from configuration with
    /// <c>services.Configure&lt;SmtpEmailOptions&gt;(section)</c>. With <c>UseUnsubscribeLinks</c>, every e-mail carries
    /// the RFC 8058 headers <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post</c> with the customer's signed link.
    /// </remarks>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Sets the server and the sender.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UseSmtpEmail(this RecoveryJourneysBuilder builder, Action<SmtpEmailOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddValidatedOptions<SmtpEmailOptions, SmtpEmailOptionsValidator>(configure);
        builder.Services.Replace(ServiceDescriptor.Singleton<IChannel<EmailMessage>>(services => AdapterRegistration.Create<SmtpEmailOptions, SmtpEmailChannel>(
            services,
            (options, timeProvider, loggerFactory) => new SmtpEmailChannel(options, timeProvider, services.GetService<UnsubscribeLinks>(), loggerFactory))));
        return builder;
    }
}
