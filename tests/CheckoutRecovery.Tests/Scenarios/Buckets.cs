using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CheckoutRecovery.Tests.Scenarios;

/// <summary>
/// The assignment rule of docs/experiments.md, written here from the page rather than taken from the library: SHA-256
/// of <c>journey \n salt \n customer id</c>, the first 8 bytes big-endian modulo 10,000; the holdout takes the first
/// buckets, the variants the buckets in the order they are declared.
/// </summary>
public static class Buckets
{
    public static int Of(string journey, string salt, string customerId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{journey}\n{salt}\n{customerId}"));
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % 10_000);
    }

    public static bool InHoldout(string journey, int percent, string customerId) => Of(journey, "holdout", customerId) < percent * 100;

    /// <summary>The variant of an experiment whose variants have these weights, in their order.</summary>
    public static string Variant(string journey, string experiment, string customerId, params (string Name, int Weight)[] variants)
    {
        var bucket = Of(journey, experiment, customerId);
        var upTo = 0;
        foreach (var (name, weight) in variants)
        {
            upTo += weight * 100;
            if (bucket < upTo)
            {
                return name;
            }
        }

        throw new InvalidOperationException("The weights do not add up to 100.");
    }
}
