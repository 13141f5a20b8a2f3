using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Storage;

// The exits remembered, by journey and key.
public sealed partial class InMemoryJourneyStore
{
    /// <summary>
    /// The latest exit of each journey and key, in places of chunked arrays found through a <see cref="SlotIndex"/> (the
    /// exit holds its key): a dictionary's arrays would land on the large object heap, and be copied, past a few thousand.
    /// </summary>
    private sealed class ExitTable
    {
        // 4,096 references (32 KB) a chunk.
        private const int ChunkShift = 12;
        private const int ChunkSize = 1 << ChunkShift;
        private const int ChunkMask = ChunkSize - 1;

        private readonly SlotIndex _index = new();
        private readonly Stack<int> _free = new();
        private RememberedExit?[][] _chunks = [];
        private int _used;

        /// <summary>Every exit remembered.</summary>
        public IEnumerable<RememberedExit> Values => _index.Slots().Select(place => At(place)!);

        /// <summary>The exit remembered for <paramref name="key"/>, or null.</summary>
        public RememberedExit? Find(JourneyKey key)
        {
            var place = PlaceOf(key);
            return place < 0 ? null : At(place);
        }

        /// <summary>Remembers <paramref name="exit"/> (of the journey and key <paramref name="key"/>), in place of the one before.</summary>
        public void Set(JourneyKey key, RememberedExit exit)
        {
            var place = PlaceOf(key);
            if (place < 0)
            {
                place = Take();
                _index.Add(place, key.Hash);
            }

            At(place) = exit;
        }

        public void Remove(JourneyKey key)
        {
            var place = PlaceOf(key);
            if (place >= 0)
            {
                _index.Remove(place, key.Hash);
                At(place) = null;
                _free.Push(place);
            }
        }

        private ref RememberedExit? At(int place) => ref _chunks[place >> ChunkShift][place & ChunkMask];

        private int PlaceOf(JourneyKey key)
        {
            for (var entry = _index.First(key.Hash); entry >= 0; entry = _index.Next(entry))
            {
                if (_index.HashAt(entry) == key.Hash
                    && At(_index.SlotAt(entry)) is { } exit
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
    }
}
