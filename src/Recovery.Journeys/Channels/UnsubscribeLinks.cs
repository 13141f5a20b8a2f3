using System.Security.Cryptography;
using System.Text;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Channels;

/// <summary>
/// Makes and checks signed unsubscribe links: <c>{base}?customer={id}&amp;channel={channel}&amp;token={hmac}</c>.
/// Templates write the customer's link with <c>{{unsubscribeUrl}}</c>; the host's endpoint checks it with
/// <see cref="TryVerify"/> and records the opt-out where its <see cref="IConsentChecker"/> reads it.
/// </summary>
/// <remarks>Links do not expire: an unsubscribe link must keep working. Thread-safe.</remarks>
public sealed class UnsubscribeLinks
{
    private readonly Uri _baseUrl;
    private readonly byte[] _key;

    /// <summary>Creates the link maker.</summary>
    /// <param name="baseUrl">The host's unsubscribe endpoint, e.g. <c>https://shop.example.com/unsubscribe</c>.</param>
    /// <param name="signingKey">A secret of at least 32 bytes; rotating it invalidates links already sent.</param>
    public UnsubscribeLinks(Uri baseUrl, byte[] signingKey)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The unsubscribe base URL must be absolute.", nameof(baseUrl));
        }

        if (signingKey.Length < 32)
        {
            throw new ArgumentException("The signing key must be at least 32 bytes long.", nameof(signingKey));
        }

        if (!signingKey.AsSpan().ContainsAnyExcept((byte)0))
        {
            throw new ArgumentException("The signing key is all zeros: use 32 random bytes (RandomNumberGenerator.GetBytes(32)).", nameof(signingKey));
        }

        _baseUrl = baseUrl;
        _key = [.. signingKey];
    }

    /// <summary>Returns the customer's unsubscribe link for one channel.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="channel">The channel to unsubscribe from (<c>email</c>, <c>sms</c>).</param>
    public Uri Create(string customerId, string channel)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(channel);
        var separator = string.IsNullOrEmpty(_baseUrl.Query) ? "?" : "&";
        return new Uri($"{_baseUrl}{separator}customer={Uri.EscapeDataString(customerId)}&channel={Uri.EscapeDataString(channel)}&token={Sign(customerId, channel)}");
    }

    /// <summary>Checks a link's parameters, as the host's endpoint receives them.</summary>
    /// <param name="customerId">The <c>customer</c> parameter.</param>
    /// <param name="channel">The <c>channel</c> parameter.</param>
    /// <param name="token">The <c>token</c> parameter.</param>
    /// <returns>Whether this key signed exactly that customer and channel.</returns>
    public bool TryVerify(string? customerId, string? channel, string? token)
    {
        if (string.IsNullOrEmpty(customerId) || string.IsNullOrEmpty(channel) || string.IsNullOrEmpty(token))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(customerId, channel)), Encoding.ASCII.GetBytes(token));
    }

    private string Sign(string customerId, string channel)
    {
        // Each field is prefixed with its length, so that no two (customer, channel) pairs sign the same bytes: with a
        // plain separator, customer "x\ny" and channel "email" would read as customer "x", channel "y\nemail".
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{customerId.Length}:{customerId}{channel.Length}:{channel}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
