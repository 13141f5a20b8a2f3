using System.Security.Cryptography;
using System.Text;

namespace Recovery.Journeys.Webhooks.Tests;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test_0123456789abcdef";
    private const string Body = """{"event":"checkout.abandoned","orderId":"CMD-42"}""";
    private static readonly DateTimeOffset SentAt = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compute_IsTheHmacSha256OfTimestampDotBody()
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1767603600." + Body)));

        WebhookSignature.Compute(Secret, SentAt, Encoding.UTF8.GetBytes(Body)).Should().Be($"t=1767603600,v1={expected}");
    }

    [Fact]
    public void Compute_MatchesTheExampleInTheDocs()
    {
        // docs/channels.md shows this vector to receivers who write their own check in another language.
        WebhookSignature.Compute(Secret, SentAt, Encoding.UTF8.GetBytes(Body))
            .Should().Be("t=1767603600,v1=e412279e7503839fd25d39fb0b2e95d9c231c4409a47ae5a3efc05cf658c2b83");
    }

    [Fact]
    public void Compute_DropsSubSeconds()
    {
        var body = Encoding.UTF8.GetBytes(Body);

        WebhookSignature.Compute(Secret, SentAt.AddMilliseconds(999), body).Should().Be(WebhookSignature.Compute(Secret, SentAt, body));
    }

    [Fact]
    public void Verify_OwnSignature_IsValidWithinTheToleranceEitherWay()
    {
        var header = Sign(Body);

        WebhookSignature.Verify(Secret, header, Body, SentAt, TimeSpan.Zero).Should().BeTrue();
        WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(5), WebhookSignature.DefaultTolerance).Should().BeTrue();
        WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(-5), WebhookSignature.DefaultTolerance).Should().BeTrue("the receiver's clock may be behind");
        WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(5).AddTicks(1), WebhookSignature.DefaultTolerance).Should().BeFalse();
        WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(-5).AddTicks(-1), WebhookSignature.DefaultTolerance).Should().BeFalse();
    }

    [Fact]
    public void Verify_SeveralV1Entries_AcceptsWhenOneMatches()
    {
        // While a secret is rotated, a sender may sign with the old and the new secret.
        var other = WebhookSignature.Compute("whsec_old_secret_0123456789", SentAt, Encoding.UTF8.GetBytes(Body));
        var header = $"{other},{Sign(Body)["t=1767603600,".Length..]},v0=legacy";

        WebhookSignature.Verify(Secret, header, Body, SentAt, WebhookSignature.DefaultTolerance).Should().BeTrue();
        WebhookSignature.Verify("whsec_old_secret_0123456789", header, Body, SentAt, WebhookSignature.DefaultTolerance).Should().BeTrue();
        WebhookSignature.Verify("whsec_unknown_secret_01234567", header, Body, SentAt, WebhookSignature.DefaultTolerance).Should().BeFalse();
    }

    [Fact]
    public void Verify_SpacesAroundEntries_AreTolerated()
    {
        var header = Sign(Body).Replace(",", " , ", StringComparison.Ordinal);

        WebhookSignature.Verify(Secret, header, Body, SentAt, WebhookSignature.DefaultTolerance).Should().BeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("t=1767603600")]
    [InlineData("v1=SIG")]
    [InlineData("t=1767603600,v0=SIG")]
    [InlineData("t=1767603600,t=1767603600,v1=SIG")]
    [InlineData("t=-1767603600,v1=SIG")]
    [InlineData("t=1767603600.5,v1=SIG")]
    [InlineData("t=99999999999999999999,v1=SIG")]
    [InlineData("t=1767603600,v1=SIG,=x")]
    [InlineData("t=1767603600,v1=not-hex")]
    [InlineData("t=1767603600,v1=abcd")]
    [InlineData("t=1767603601,v1=SIG")]
    public void Verify_MalformedOrWrongHeader_IsInvalid(string? header)
    {
        var signature = Sign(Body)["t=1767603600,v1=".Length..];

        WebhookSignature.Verify(Secret, header?.Replace("SIG", signature, StringComparison.Ordinal), Body, SentAt, WebhookSignature.DefaultTolerance)
            .Should().BeFalse();
    }

    [Fact]
    public void Verify_UppercaseHex_IsAccepted()
    {
        var header = "t=1767603600,v1=" + Sign(Body)["t=1767603600,v1=".Length..].ToUpperInvariant();

        WebhookSignature.Verify(Secret, header, Body, SentAt, WebhookSignature.DefaultTolerance).Should().BeTrue();
    }

    [Fact]
    public void Verify_BodyReencoded_IsInvalid()
    {
        // The signature covers the bytes sent: a receiver must check the raw body, not a re-serialised one.
        var header = Sign(Body);

        WebhookSignature.Verify(Secret, header, Body.Replace(":", ": ", StringComparison.Ordinal), SentAt, WebhookSignature.DefaultTolerance).Should().BeFalse();
    }

    [Fact]
    public void Verify_NegativeToleranceOrEmptySecret_Throws()
    {
        var negative = () => WebhookSignature.Verify(Secret, Sign(Body), Body, SentAt, TimeSpan.FromSeconds(-1));
        var noSecret = () => WebhookSignature.Verify("", Sign(Body), Body, SentAt, TimeSpan.Zero);

        negative.Should().Throw<ArgumentOutOfRangeException>();
        noSecret.Should().Throw<ArgumentException>();
    }

    private static string Sign(string body) => WebhookSignature.Compute(Secret, SentAt, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void ASecretShorterThanTheChannelAccepts_IsRefusedBySigningAndCheckingToo()
    {
        var tooShort = new string('k', WebhookSignature.MinSecretLength - 1);

        var sign = () => WebhookSignature.Compute(tooShort, SentAt, Encoding.UTF8.GetBytes(Body));
        var check = () => WebhookSignature.Verify(tooShort, Sign(Body), Body, SentAt, TimeSpan.Zero);

        sign.Should().Throw<ArgumentException>().WithMessage("*at least 16 characters*");
        check.Should().Throw<ArgumentException>().WithMessage("*at least 16 characters*");
        WebhookSignature.MinSecretLength.Should().Be(16);
    }
}
