namespace Recovery.Journeys.Storage;

// A journey and correlation key, hashed once: the key of the store's active instances and of its exit memory.
public sealed partial class InMemoryJourneyStore
{
    /// <summary>
    /// A journey's name and a correlation key with their hash, computed once when made: a start or an exit looks its key
    /// up in the active instances and in the exits remembered, and may remove it, with one hash of its strings.
    /// </summary>
    private readonly struct JourneyKey : IEquatable<JourneyKey>
    {
        public JourneyKey(string journey, string key)
        {
            Journey = journey;
            Key = key;
            Hash = HashCode.Combine(StringComparer.Ordinal.GetHashCode(journey), StringComparer.Ordinal.GetHashCode(key));
        }

        public string Journey { get; }

        public string Key { get; }

        public int Hash { get; }

        /// <summary>Whether the key is that of the instance in <paramref name="slot"/>.</summary>
        public bool Matches(in Slot slot) =>
            string.Equals(slot.CorrelationKey, Key, StringComparison.Ordinal)
            && string.Equals(slot.JourneyName, Journey, StringComparison.Ordinal);

        public bool Equals(JourneyKey other) =>
            Hash == other.Hash
            && string.Equals(Key, other.Key, StringComparison.Ordinal)
            && string.Equals(Journey, other.Journey, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is JourneyKey other && Equals(other);

        public override int GetHashCode() => Hash;
    }
}
