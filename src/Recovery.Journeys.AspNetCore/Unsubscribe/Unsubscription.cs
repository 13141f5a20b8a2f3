using NodaTime;

namespace Recovery.Journeys.AspNetCore.Unsubscribe;

/// <summary>A customer's verified request to receive no more messages on a channel.</summary>
/// <param name="CustomerId">The customer, as the signed link names them.</param>
/// <param name="Channel">The channel (<c>email</c>), as the signed link names it.</param>
/// <param name="At">When the request arrived.</param>
/// <param name="OneClick">Whether it came as an RFC 8058 one-click POST from a mail client, rather than from the confirmation page.</param>
public sealed record Unsubscription(string CustomerId, string Channel, Instant At, bool OneClick);
