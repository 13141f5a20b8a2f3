using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Recovery.Journeys.Experiments;

/// <summary>
/// Puts a customer in a bucket, deterministically: the same journey, experiment and customer give the same bucket in
/// every process, on every machine and after every restart.
/// </summary>
/// <remarks>
/// <see cref="string.GetHashCode()"/> is randomised per process, so it cannot be used. SHA-256 of the UTF-8 text
/// <c>journey \n salt \n unit</c> is stable by definition, spreads even near-identical ids evenly, and costs about a
/// microsecond, paid once per customer and experiment. Its first 8 bytes, read big-endian, modulo 10,000 give the
/// bucket; the modulo bias of a 64-bit value over 10,000 buckets is below 10⁻¹⁵.
/// </remarks>
internal static class Assignment
{
    /// <summary>How many buckets there are: a weight of 1 % is 100 buckets.</summary>
    public const int Buckets = 10_000;

    /// <summary>The customer's bucket in [0, <see cref="Buckets"/>) for one salt (an experiment's name, or the holdout) of one journey.</summary>
    /// <param name="journey">The journey's name.</param>
    /// <param name="salt">What is assigned: the experiment's name, or <c>holdout</c>.</param>
    /// <param name="unit">Who is assigned: the customer id, else the correlation key.</param>
    public static int Bucket(string journey, string salt, string unit)
    {
        var text = Encoding.UTF8.GetBytes($"{journey}\n{salt}\n{unit}");
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text, hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets);
    }

    /// <summary>Picks a variant by cumulative weight (in percent, adding up to 100): bucket 0-4999 is the first of two 50 % variants.</summary>
    public static int Pick(int bucket, IReadOnlyList<int> weights)
    {
        var upTo = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            upTo += weights[i] * (Buckets / 100);
            if (bucket < upTo)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }
}
