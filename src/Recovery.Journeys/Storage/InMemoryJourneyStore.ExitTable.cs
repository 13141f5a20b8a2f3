using NodaTime;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Storage;

// The exits remembered, by journey and key, until they expire.
public sealed partial class InMemoryJourneyStore
{
    /// <summary>
    /// The latest exit of each journey and key, in places of chunked arrays found through a <see cref="SlotIndex"/> (the
    /// exit holds its key): a dictionary's arrays would land on the large object heap, and be copied, past a few thousand.
    /// </summary>
    /// <remarks>
    /// Each exit is kept as it was written, the customer the store found for it beside it: the caller's exit has none
    /// (<see cref="RememberedExit.CustomerId"/> is the store's to set), and a copy of it with the customer, at every exit
    /// of an instance, was most of what an exit allocated. The copy is made when an exit is handed out (<see cref="Find"/>).
    /// </remarks>
    private sealed class ExitTable
    {
        // 4,096 places of two references (64 KB) a chunk.
        private const int ChunkShift = 12;
        private const int ChunkSize = 1 << ChunkShift;
        private const int ChunkMask = ChunkSize - 1;

        private readonly SlotIndex _index = new();
        private readonly Stack<int> _free = new();

        // Each exit's place by its expiry, as written (found stale when its place holds a later one, or none): a place's
        // number, not its journey and key, so that a node is 24 bytes, not 40.
        private readonly DueQueue<int> _expiries = new();
        private Kept[][] _chunks = [];
        private int _used;

        /// <summary>Every exit remembered, as written, with its customer.</summary>
        public IEnumerable<(RememberedExit Exit, string? CustomerId)> Values => _index.Slots().Select(place => (At(place).Exit!, At(place).CustomerId));

        /// <summary>
        /// The exit remembered for <paramref name="key"/> as the store hands it out (with its customer), or null. The copy
        /// with the customer is made once, at the first read, and kept in place of the exit as written.
        /// </summary>
        public RememberedExit? Find(JourneyKey key)
        {
            var place = PlaceOf(key);
            if (place < 0)
            {
                return null;
            }

            ref var kept = ref At(place);
            if (!string.Equals(kept.Exit!.CustomerId, kept.CustomerId, StringComparison.Ordinal))
            {
                kept = new Kept(kept.Exit with { CustomerId = kept.CustomerId }, kept.CustomerId);
            }

            return kept.Exit;
        }

        /// <summary>
        /// The exit remembered for <paramref name="key"/> as written (its own <see cref="RememberedExit.CustomerId"/> is not
        /// the store's), or null; <paramref name="customerId"/> receives the customer kept for it.
        /// </summary>
        public RememberedExit? FindWritten(JourneyKey key, out string? customerId)
        {
            var place = PlaceOf(key);
            customerId = place < 0 ? null : At(place).CustomerId;
            return place < 0 ? null : At(place).Exit;
        }

        /// <summary>Remembers <paramref name="exit"/> (of the journey and key <paramref name="key"/>) and its customer, in place of the one before.</summary>
        public void Set(JourneyKey key, RememberedExit exit, string? customerId)
        {
            var place = PlaceOf(key);
            if (place < 0)
            {
                place = Take();
                _index.Add(place, key.Hash);
            }

            At(place) = new Kept(exit, customerId);
            _expiries.Enqueue(place, exit.ExpiresAt);
        }

        /// <summary>Forgets the exits expired at <paramref name="now"/>.</summary>
        public void ForgetExpired(Instant now)
        {
            while (_expiries.TryPeek(out var place, out var expiresAt) && expiresAt <= now)
            {
                _expiries.Dequeue();

                // The place may have been freed, or hold another exit since: only an expired one is forgotten.
                if (At(place).Exit is { } exit && exit.ExpiresAt <= now)
                {
                    Free(place, new JourneyKey(exit.JourneyName, exit.CorrelationKey).Hash);
                }
            }
        }

        public void Remove(JourneyKey key)
        {
            var place = PlaceOf(key);
            if (place >= 0)
            {
                Free(place, key.Hash);
            }
        }

        private void Free(int place, int hash)
        {
            _index.Remove(place, hash);
            At(place) = default;
            _free.Push(place);
        }

        private ref Kept At(int place) => ref _chunks[place >> ChunkShift][place & ChunkMask];

        private int PlaceOf(JourneyKey key)
        {
            for (var entry = _index.First(key.Hash); entry >= 0; entry = _index.Next(entry))
            {
                if (_index.HashAt(entry) == key.Hash
                    && At(_index.SlotAt(entry)).Exit is { } exit
                    && string.Equals(exit.CorrelationKey, key.Key, StringComparison.Ordinal)
                    && string.Equals(exit.JourneyName, key.Journey, StringComparison.Ordinal))
                {
                    return _index.SlotAt(entry);
                }
            }

            return -1;
        }

        private int Take()
        {
            if (_free.TryPop(out var place))
            {
                return place;
            }

            Chunks.MakeRoom(ref _chunks, _used, ChunkShift);
            return _used++;
        }

        /// <summary>An exit as written and the customer the store keeps for it.</summary>
        private readonly record struct Kept(RememberedExit? Exit, string? CustomerId);
    }
}
