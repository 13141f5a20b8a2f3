using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Smtp.Tests.Fixtures;
using Recovery.Journeys.TestSupport;

namespace Recovery.Journeys.Smtp.Tests;

/// <summary>
/// The adapters' conventions on the SMTP channel: the constructor checks its options and keeps a copy of every one,
/// <c>UseSmtpEmail</c> passes every option to it, with the container's clock and loggers.
/// </summary>
[Collection(SmtpServerCollection.Name)]
public sealed class SmtpEmailChannelConventionTests(SmtpTestServer server)
{
    [Fact]
    public void Constructor_KeepsACopyOfEveryOption_ChangingTheCallersObjectAfterwardsHasNoEffect()
    {
        var options = EveryOption();
        OptionsConvention.ShouldSetEveryOption(options);
        var channel = new SmtpEmailChannel(options, TimeProvider.System);

        OptionsConvention.CopyEveryOption(new SmtpEmailOptions(), options);

        OptionsConvention.ShouldHaveEveryOptionOf(channel.Options, EveryOption());
    }

    [Fact]
    public async Task Constructor_CallerChangesTheServerAfterwards_TheChannelSendsToTheFirstOne()
    {
        var options = server.Options();
        var channel = new SmtpEmailChannel(options, TimeProvider.System);
        var delivery = Deliveries.Email("Bonjour", null, "Bonjour");

        options.Port = 1;
        options.FromAddress = "autre@shop.example";
        await channel.SendAsync(delivery, CancellationToken.None);

        server.ReceivedFor(delivery.IdempotencyKey).Single().MailFrom.Should().Be("boutique@shop.example");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsTheRegistrationsValidationFailures()
    {
        var invalid = new SmtpEmailOptions { Host = " ", Port = 70_000, FromAddress = "boutique", Password = "secret", Timeout = TimeSpan.Zero, MessageIdDomain = "shop_example" };
        using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.UseSmtpEmail(o => OptionsConvention.CopyEveryOption(invalid, o)))
            .BuildServiceProvider();

        var create = () => new SmtpEmailChannel(invalid, TimeProvider.System);
        var register = () => provider.GetRequiredService<IOptions<SmtpEmailOptions>>().Value;

        var failures = create.Should().Throw<OptionsValidationException>().Which.Failures;
        failures.Should().HaveCount(6);
        register.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failures);
    }

    [Fact]
    public void Constructor_WithoutATimeProvider_Throws()
    {
        var create = () => new SmtpEmailChannel(EveryOption(), null!);

        create.Should().Throw<ArgumentNullException>().WithParameterName("timeProvider");
    }

    [Fact]
    public void UseSmtpEmail_PassesEveryOptionToTheChannel()
    {
        var configured = EveryOption();
        OptionsConvention.ShouldSetEveryOption(configured);
        using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.UseSmtpEmail(o => OptionsConvention.CopyEveryOption(configured, o)))
            .BuildServiceProvider();

        var channel = provider.GetRequiredService<IChannel<EmailMessage>>().Should().BeOfType<SmtpEmailChannel>().Subject;

        OptionsConvention.ShouldHaveEveryOptionOf(channel.Options, configured);
        channel.Options.Should().NotBeSameAs(provider.GetRequiredService<IOptions<SmtpEmailOptions>>().Value);
    }

    [Fact]
    public async Task UseSmtpEmail_LogsThroughTheContainersLoggerFactory()
    {
        var logs = new RecordingLoggerProvider();
        using var provider = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddRecoveryJourneys(j => j.UseSmtpEmail(o => OptionsConvention.CopyEveryOption(server.Options(), o)))
            .BuildServiceProvider();
        var delivery = Deliveries.Email("Bonjour", null, "Bonjour");

        var receipt = await provider.GetRequiredService<IChannel<EmailMessage>>().SendAsync(delivery, CancellationToken.None);

        var accepted = logs.Entries.Should().ContainSingle(e => e.EventId.Id == 800).Subject;
        accepted.Category.Should().Be(typeof(SmtpEmailChannel).FullName);
        accepted.Level.Should().Be(LogLevel.Debug);
        accepted.Values["MessageId"].Should().Be(receipt.ProviderMessageId);
        accepted.Message.Should().NotContain(Deliveries.Helene.Email!, "logs carry ids, never a customer's address");
    }

    private static SmtpEmailOptions EveryOption() => new()
    {
        Host = "smtp.shop.example",
        Port = 587,
        EnableSsl = true,
        FromAddress = "boutique@shop.example",
        FromDisplayName = "Boutique Élégance",
        UserName = "boutique",
        Password = "secret",
        Timeout = TimeSpan.FromSeconds(10),
        MessageIdDomain = "mail.shop.example",
    };
}
