using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
    /// The options are validated when the host starts (every problem listed at once); they can also be bound from
    /// configuration with <c>services.Configure&lt;SmtpEmailOptions&gt;(section)</c>. The channel measures its timeout
    /// on the container's <see cref="TimeProvider"/>.
    /// </remarks>
    /// <param name="builder">The Recovery.Journeys builder.</param>
    /// <param name="configure">Sets the server and the sender.</param>
    /// <returns>The builder.</returns>
    public static RecoveryJourneysBuilder UseSmtpEmail(this RecoveryJourneysBuilder builder, Action<SmtpEmailOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SmtpEmailOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmtpEmailOptions>, SmtpEmailOptionsValidator>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IChannel<EmailMessage>>(sp => new SmtpEmailChannel(
            sp.GetRequiredService<IOptions<SmtpEmailOptions>>().Value,
            sp.GetService<TimeProvider>())));
        return builder;
    }
}
