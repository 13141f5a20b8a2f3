using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using MimeKit;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Smtp.Tests.Fixtures;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.Smtp.Tests;

[Collection(SmtpServerCollection.Name)]
public sealed class SmtpEmailChannelTests(SmtpTestServer server)
{
    // Guards a test against hanging forever if something is broken; never reached when the test passes.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private const string Subject = "Offre à durée limitée bientôt expirée ! ⏳ Finalisez votre commande 🛒";

    [Fact]
    public async Task SendAsync_TextOnly_DeliversUtf8WithStableMessageIdAndIdempotencyHeader()
    {
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        var delivery = Deliveries.Email(Subject, html: null, text: "Bonjour Hélène, votre remise de 60 % expire bientôt. À très vite ! 🎉");

        var receipt = await channel.SendAsync(delivery, CancellationToken.None);

        var received = server.ReceivedFor(delivery.IdempotencyKey).Should().ContainSingle().Subject;
        var expectedId = $"{delivery.InstanceId}=3Aemail-reminder@shop.example";
        receipt.Should().Be(DeliveryReceipt.Sent($"<{expectedId}>"));
        received.Message.MessageId.Should().Be(expectedId);
        received.Message.Headers[SmtpEmailChannel.IdempotencyKeyHeader].Should().Be(delivery.IdempotencyKey);
        received.Message.Subject.Should().Be(Subject);
        received.Message.From.Mailboxes.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Name = "Boutique Élégance", Address = "boutique@shop.example" });
        received.Message.To.Mailboxes.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Name = "Hélène Dupré", Address = "helene@client.example" });
        received.RcptTos.Should().Equal("helene@client.example");
        received.MailFrom.Should().Be("boutique@shop.example");
        received.Login.Should().BeNull();
        received.Message.Body.Should().BeOfType<TextPart>().Which.Should().Match<TextPart>(p => p.IsPlain);
        received.Text.Should().Be("Bonjour Hélène, votre remise de 60 % expire bientôt. À très vite ! 🎉");
        received.Html.Should().BeNull();
        received.Raw.Should().NotContain("Hélène", "headers and bodies are encoded for 7-bit transport");
    }

    [Fact]
    public async Task SendAsync_WithUnsubscribeLinks_CarriesTheOneClickHeaders()
    {
        var links = new UnsubscribeLinks(new Uri("https://shop.example/unsubscribe"), [.. Enumerable.Range(1, 32).Select(i => (byte)i)]);
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System, links, null);
        var delivery = Deliveries.Email("Votre commande", html: null, text: "Bonjour");

        await channel.SendAsync(delivery, CancellationToken.None);

        var received = server.ReceivedFor(delivery.IdempotencyKey).Should().ContainSingle().Subject;
        var link = links.Create(delivery.Recipient.Id, "email");
        received.Message.Headers["List-Unsubscribe"].Should().Be($"<{link.AbsoluteUri}>");
        received.Message.Headers["List-Unsubscribe-Post"].Should().Be("List-Unsubscribe=One-Click");
        links.TryVerify(delivery.Recipient.Id, "email", System.Web.HttpUtility.ParseQueryString(link.Query)["token"]).Should().BeTrue();
    }

    [Fact]
    public async Task SendAsync_SameDeliveryTwice_CarriesTheSameMessageIdBothTimes()
    {
        // What a resend after a crash between the send and its record looks like: the engine retries with the same key.
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        var delivery = Deliveries.Email("Votre commande", html: null, text: "Bonjour");

        await channel.SendAsync(delivery, CancellationToken.None);
        await channel.SendAsync(delivery, CancellationToken.None);

        var received = server.ReceivedFor(delivery.IdempotencyKey);
        received.Should().HaveCount(2);
        received.Select(r => r.Message.MessageId).Distinct().Should().ContainSingle().Which.Should().StartWith(delivery.InstanceId.ToString());
    }

    [Fact]
    public async Task SendAsync_DifferentSteps_CarryDifferentMessageIds()
    {
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        var first = Deliveries.Email(new EmailMessage("Un", null, "1"), stepId: "step.one");
        var second = first with { IdempotencyKey = $"{first.InstanceId}:step-one", StepId = "step-one" };

        var one = await channel.SendAsync(first, CancellationToken.None);
        var two = await channel.SendAsync(second, CancellationToken.None);

        one.ProviderMessageId.Should().Be($"<{first.InstanceId}=3Astep=2Eone@shop.example>");
        two.ProviderMessageId.Should().Be($"<{first.InstanceId}=3Astep-one@shop.example>");
        server.ReceivedFor(first.IdempotencyKey).Single().Message.MessageId.Should().Be($"{first.InstanceId}=3Astep=2Eone@shop.example");
    }

    [Fact]
    public async Task SendAsync_TextAndHtml_SendsMultipartAlternativeWithTextFirst()
    {
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        const string Html = "<p>Bonjour Hélène,</p><p>Votre panier vous attend : <b>-60 %</b> 🎁</p>";
        const string Text = "Bonjour Hélène,\r\nVotre panier vous attend : -60 % 🎁";
        var delivery = Deliveries.Email(Subject, Html, Text);

        await channel.SendAsync(delivery, CancellationToken.None);

        var received = server.ReceivedFor(delivery.IdempotencyKey).Single();
        var alternative = received.Message.Body.Should().BeOfType<MultipartAlternative>().Subject;
        alternative.Select(p => p.ContentType.MimeType).Should().Equal("text/plain", "text/html");
        alternative.OfType<TextPart>().Should().AllSatisfy(p => p.ContentType.Charset.Should().BeEquivalentTo("utf-8"));
        received.Text.Should().Be(Text);
        received.Html.Should().Be(Html);
    }

    [Fact]
    public async Task SendAsync_LoneLineFeeds_AreSentAsCrLf()
    {
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        var delivery = Deliveries.Email("Lignes", "<p>un</p>\n<p>deux</p>", "un\ndeux\n");

        await channel.SendAsync(delivery, CancellationToken.None);

        var received = server.ReceivedFor(delivery.IdempotencyKey).Single();
        received.Text.Should().Be("un\r\ndeux\r\n");
        received.Html.Should().Be("<p>un</p>\r\n<p>deux</p>");
    }

    [Fact]
    public async Task SendAsync_HtmlOnly_SendsASingleHtmlPart()
    {
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        var delivery = Deliveries.Email(Subject, "<p>Bonjour Hélène 👋</p>", text: null);

        await channel.SendAsync(delivery, CancellationToken.None);

        var received = server.ReceivedFor(delivery.IdempotencyKey).Single();
        received.Message.Body.Should().BeOfType<TextPart>().Which.IsHtml.Should().BeTrue();
        received.Html.Should().Be("<p>Bonjour Hélène 👋</p>");
    }

    [Fact]
    public async Task SendAsync_LongHtmlLines_ArriveIntact()
    {
        // Rendered HTML often comes as one long line; the transfer encoding must wrap it and give it back unchanged.
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        var html = string.Concat(Enumerable.Range(1, 200).Select(i => $"<img src=\"https://cdn.shop.example/p/{i}.jpg?w=600&amp;h=600\" alt=\"Produit n°{i} – été\">"));
        var delivery = Deliveries.Email("Vos produits", html, "Vos produits");

        await channel.SendAsync(delivery, CancellationToken.None);

        var received = server.ReceivedFor(delivery.IdempotencyKey).Single();
        received.Html.Should().Be(html);
        received.Raw.Split("\r\n").Should().OnlyContain(line => line.Length <= 998, "SMTP limits lines to 998 characters");
    }

    [Fact]
    public async Task SendAsync_WithCredentials_LogsInAndSends()
    {
        var options = server.Options();
        options.FromAddress = "needs-login@shop.example";
        options.UserName = SmtpTestServer.Login;
        options.Password = SmtpTestServer.Password;
        var channel = new SmtpEmailChannel(options, TimeProvider.System);
        var delivery = Deliveries.Email("Connecté", null, "Bonjour");

        await channel.SendAsync(delivery, CancellationToken.None);

        server.ReceivedFor(delivery.IdempotencyKey).Single().Login.Should().Be(SmtpTestServer.Login);
    }

    [Fact]
    public async Task SendAsync_WrongPassword_ThrowsTransientSoASetupFixLetsTheRetryThrough()
    {
        // System.Net.Mail goes on without logging in when the server refuses the password; the server then refuses
        // the sender with 530, a set-up error that is retried rather than dropped.
        var options = server.Options();
        options.FromAddress = "needs-login@shop.example";
        options.UserName = SmtpTestServer.Login;
        options.Password = "wrong";
        var channel = new SmtpEmailChannel(options, TimeProvider.System);
        var delivery = Deliveries.Email("Connecté", null, "Bonjour");

        var act = async () => await channel.SendAsync(delivery, CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<SmtpException>()).Which;
        thrown.Should().NotBeOfType<PermanentDeliveryException>();
        thrown.Message.Should().Contain($"127.0.0.1:{server.Port}").And.Contain("530");
        server.ReceivedFor(delivery.IdempotencyKey).Should().BeEmpty();
    }

    [Fact]
    public async Task SendAsync_RecipientRejectedWith550_ThrowsPermanentDeliveryException()
    {
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        var delivery = Deliveries.Email("Bonjour", null, "Bonjour", Deliveries.Helene with { Email = "rejected.customer@client.example" });

        var act = async () => await channel.SendAsync(delivery, CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<PermanentDeliveryException>()).Which;
        thrown.Message.Should().Be("The SMTP server refused the recipient for good (550 MailboxUnavailable).");
        thrown.Message.Should().NotContain("rejected.customer", "the address is personal data and the message goes to the timeline");
        thrown.InnerException.Should().BeOfType<SmtpFailedRecipientException>();
        server.ReceivedFor(delivery.IdempotencyKey).Should().BeEmpty();
    }

    [Fact]
    public async Task SendAsync_RecipientBusyWith450_ThrowsTransient()
    {
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        var delivery = Deliveries.Email("Bonjour", null, "Bonjour", Deliveries.Helene with { Email = "busy@client.example" });

        var act = async () => await channel.SendAsync(delivery, CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<SmtpException>()).Which;
        thrown.Should().NotBeOfType<PermanentDeliveryException>();
        thrown.Message.Should().Be($"The SMTP server 127.0.0.1:{server.Port} deferred the recipient (450 MailboxBusy); it will be sent again.");
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_ThrowsTransientNamingTheServer()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = server.Options();
        options.Port = closedPort;
        var channel = new SmtpEmailChannel(options, TimeProvider.System);

        var act = async () => await channel.SendAsync(Deliveries.Email("Bonjour", null, "Bonjour"), CancellationToken.None);

        var thrown = (await act.Should().ThrowAsync<SmtpException>()).Which;
        thrown.Message.Should().Contain($"127.0.0.1:{closedPort}").And.Contain("refused");
    }

    [Fact]
    public async Task SendAsync_ServerNeverAnswers_TimesOutOnTheInjectedClock()
    {
        // A server that accepts the connection and then says nothing, not even its greeting.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var clock = new FakeClock();
        var options = server.Options();
        options.Port = ((IPEndPoint)silent.LocalEndpoint).Port;
        options.Timeout = TimeSpan.FromMinutes(10); // longer than the guard: only the injected clock can make this test pass
        var channel = new SmtpEmailChannel(options, clock);

        var send = channel.SendAsync(Deliveries.Email("Bonjour", null, "Bonjour"), CancellationToken.None).AsTask();
        using var connection = await silent.AcceptTcpClientAsync().WaitAsync(Guard);
        clock.Advance(Duration.FromMinutes(10) - Duration.FromSeconds(1));
        send.IsCompleted.Should().BeFalse("the timeout is 10 minutes on the injected clock");
        clock.Advance(Duration.FromSeconds(1));

        var thrown = (await send.Invoking(s => s).Should().ThrowAsync<TimeoutException>().WaitAsync(Guard)).Which;
        thrown.Message.Should().Be($"The SMTP server 127.0.0.1:{options.Port} did not accept the e-mail within 00:10:00; it will be sent again.");
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var options = server.Options();
        options.Port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var channel = new SmtpEmailChannel(options, new FakeClock());
        using var shutdown = new CancellationTokenSource();

        var send = channel.SendAsync(Deliveries.Email("Bonjour", null, "Bonjour"), shutdown.Token).AsTask();
        using var connection = await silent.AcceptTcpClientAsync().WaitAsync(Guard);
        await shutdown.CancelAsync();

        await send.Invoking(s => s).Should().ThrowAsync<OperationCanceledException>().WaitAsync(Guard);
    }

    [Fact]
    public async Task SendAsync_CustomerWithoutEmail_SkipsWithoutConnecting()
    {
        var options = server.Options();
        options.Port = 1;
        var channel = new SmtpEmailChannel(options, TimeProvider.System);

        var receipt = await channel.SendAsync(Deliveries.Email("Bonjour", null, "Bonjour", Deliveries.Helene with { Email = " " }), CancellationToken.None);

        receipt.Should().Be(DeliveryReceipt.Skipped("no e-mail address"));
    }

    [Theory]
    [InlineData("not-an-address")]
    [InlineData("helene@@client.example")]
    public async Task SendAsync_InvalidAddress_ThrowsPermanentWithoutTheAddress(string address)
    {
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);

        var act = async () => await channel.SendAsync(Deliveries.Email("Bonjour", null, "Bonjour", Deliveries.Helene with { Email = address }), CancellationToken.None);

        (await act.Should().ThrowAsync<PermanentDeliveryException>()).Which.Message
            .Should().Be("The e-mail address of customer 'cust-helene' is not valid.");
    }

    [Fact]
    public async Task SendAsync_SubjectAndNameWithLineBreaks_AreSentOnOneLine()
    {
        // A line break from a template value must not become a header injection.
        var channel = new SmtpEmailChannel(server.Options(), TimeProvider.System);
        var delivery = Deliveries.Email("Bonjour\r\nBcc: victim@client.example", null, "Bonjour", Deliveries.Helene with { Name = "Hélène\nX-Evil: 1" });

        await channel.SendAsync(delivery, CancellationToken.None);

        var received = server.ReceivedFor(delivery.IdempotencyKey).Single();
        received.Message.Subject.Should().Be("Bonjour Bcc: victim@client.example");
        received.Message.Bcc.Count.Should().Be(0);
        received.Message.Headers.Contains("X-Evil").Should().BeFalse();
        received.RcptTos.Should().Equal("helene@client.example");
    }
}
