using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Smtp.Tests.Fixtures;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.Smtp.Tests;

[Collection(SmtpServerCollection.Name)]
public sealed class SmtpRegistrationTests(SmtpTestServer server)
{
    [Fact]
    public async Task UseSmtpEmail_RegistersTheChannelTheEngineResolves()
    {
        using var provider = new ServiceCollection()
            .AddRecoveryJourneys(j => j.UseSmtpEmail(smtp =>
            {
                smtp.Host = "127.0.0.1";
                smtp.Port = server.Port;
                smtp.FromAddress = "boutique@shop.example";
            }))
            .BuildServiceProvider();
        var channel = provider.GetRequiredService<IChannelResolver>().Resolve<EmailMessage>();
        var delivery = Deliveries.Email("Depuis le conteneur", null, "Bonjour");

        channel.Should().BeOfType<SmtpEmailChannel>();
        await channel!.SendAsync(delivery, CancellationToken.None);

        server.ReceivedFor(delivery.IdempotencyKey).Should().ContainSingle();
    }

    [Fact]
    public async Task UseSmtpEmail_TakesTheTimeProviderFromTheContainer()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var clock = new FakeClock();
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddRecoveryJourneys(j => j.UseSmtpEmail(smtp =>
            {
                smtp.Host = "127.0.0.1";
                smtp.Port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
                smtp.FromAddress = "boutique@shop.example";
                smtp.Timeout = TimeSpan.FromMinutes(1);
            }))
            .BuildServiceProvider();
        var channel = provider.GetRequiredService<IChannel<EmailMessage>>();

        var send = channel.SendAsync(Deliveries.Email("Bonjour", null, "Bonjour"), CancellationToken.None).AsTask();
        using var connection = await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(Duration.FromMinutes(1));

        await send.Invoking(s => s).Should().ThrowAsync<TimeoutException>().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void UseSmtpEmail_Twice_KeepsOneEmailChannel()
    {
        var services = new ServiceCollection()
            .AddRecoveryJourneys(j => j.UseSmtpEmail(smtp => smtp.Host = "a").UseSmtpEmail(smtp => smtp.FromAddress = "b@shop.example"));

        services.Count(d => d.ServiceType == typeof(IChannel<EmailMessage>)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IValidateOptions<SmtpEmailOptions>)).Should().Be(1);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IOptions<SmtpEmailOptions>>().Value.Should().BeEquivalentTo(new { Host = "a", FromAddress = "b@shop.example" });
    }

    [Fact]
    public async Task InvalidOptions_FailAtStart_ReportingEveryProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddRecoveryJourneys(j => j.UseSmtpEmail(smtp =>
        {
            smtp.Port = 0;
            smtp.UserName = "shop";
            smtp.Timeout = TimeSpan.Zero;
        }));
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var failures = (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures;
        failures.Should().BeEquivalentTo(
            "SmtpEmailOptions.Host is required: the SMTP server's host name or IP address.",
            "SmtpEmailOptions.Port must be between 1 and 65535; it is 0.",
            "SmtpEmailOptions.FromAddress is required: the address e-mails are sent from.",
            "SmtpEmailOptions.UserName and Password must be set together, or both left null to send without logging in.",
            "SmtpEmailOptions.Timeout must be positive and at most 24.20:31:23.6470000; it is 00:00:00.");
    }

    [Theory]
    [InlineData("Ma Boutique <boutique@shop.example>", "SmtpEmailOptions.FromAddress 'Ma Boutique <boutique@shop.example>' is not a plain e-mail address (put the name in FromDisplayName).")]
    [InlineData("boutique", "SmtpEmailOptions.FromAddress 'boutique' is not a plain e-mail address (put the name in FromDisplayName).")]
    public void Constructor_InvalidFromAddress_Throws(string from, string failure)
    {
        var options = new SmtpEmailOptions { Host = "localhost", FromAddress = from };

        var create = () => new SmtpEmailChannel(options, TimeProvider.System);

        create.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failure);
    }

    [Theory]
    [InlineData("mail.shop.example", null)]
    [InlineData("shop_example", "SmtpEmailOptions.MessageIdDomain 'shop_example' is not a domain name (ASCII letters, digits, '-' and '.').")]
    [InlineData("", "SmtpEmailOptions.MessageIdDomain '' is not a domain name (ASCII letters, digits, '-' and '.').")]
    public void Constructor_MessageIdDomain_IsChecked(string domain, string? failure)
    {
        var options = new SmtpEmailOptions { Host = "localhost", FromAddress = "boutique@shop.example", MessageIdDomain = domain };

        var create = () => new SmtpEmailChannel(options, TimeProvider.System);

        if (failure is null)
        {
            create.Should().NotThrow();
        }
        else
        {
            create.Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failure);
        }
    }

    [Fact]
    public async Task MessageIdDomain_ReplacesTheSendersDomain()
    {
        var options = server.Options();
        options.MessageIdDomain = "mail.shop.example";
        var delivery = Deliveries.Email("Bonjour", null, "Bonjour");

        var receipt = await new SmtpEmailChannel(options, TimeProvider.System).SendAsync(delivery, CancellationToken.None);

        receipt.ProviderMessageId.Should().EndWith("@mail.shop.example>");
        server.ReceivedFor(delivery.IdempotencyKey).Single().Message.MessageId.Should().EndWith("@mail.shop.example");
    }

    [Fact]
    public async Task InternationalSenderDomain_IsPunycodedInTheMessageId()
    {
        var options = server.Options();
        options.FromAddress = "boutique@élégance.example";
        var delivery = Deliveries.Email("Bonjour", null, "Bonjour");

        var receipt = await new SmtpEmailChannel(options, TimeProvider.System).SendAsync(delivery, CancellationToken.None);

        receipt.ProviderMessageId.Should().EndWith("@xn--lgance-9uab.example>");
    }
}
