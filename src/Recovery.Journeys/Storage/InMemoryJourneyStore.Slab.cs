using System.Runtime.CompilerServices;

namespace Recovery.Journeys.Storage;

// The slab: every stored instance a value slot in arrays of slots, found by its number; the store's sets, queue and
// lists hold numbers, not objects.
public sealed partial class InMemoryJourneyStore
{
    /// <summary>
    /// Slots in chunks of a fixed size, never moved once allocated (a <see langword="ref"/> to a slot stays valid while
    /// more are added), each chunk small enough to be allocated as young objects are; slots freed by erasure or
    /// retention are used again.
    /// </summary>
    private sealed class Slab
    {
        // 512 slots of 96 bytes: 48 KB a chunk, under the large object heap's threshold (85,000 bytes).
        private const int ChunkShift = 9;
        private const int ChunkSize = 1 << ChunkShift;
        private const int ChunkMask = ChunkSize - 1;

        private Slot[][] _chunks = [];
        private int _used;
        private readonly Stack<int> _free = new();

        public ref Slot this[int index]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => ref _chunks[index >> ChunkShift][index & ChunkMask];
        }

        /// <summary>A free slot's number.</summary>
        public int Take()
        {
            if (_free.TryPop(out var index))
            {
                return index;
            }

            var chunk = _used >> ChunkShift;
            if (chunk == _chunks.Length)
            {
                Array.Resize(ref _chunks, Math.Max(4, _chunks.Length * 2));
            }

            _chunks[chunk] ??= new Slot[ChunkSize];
            return _used++;
        }

        /// <summary>Frees a slot (its instance is gone from the store's sets).</summary>
        public void Free(int index)
        {
            this[index].Free();
            _free.Push(index);
        }
    }

#if NET9_0_OR_GREATER
    /// <summary>Finds slots by their instance's id, which never changes, without keeping the id a second time.</summary>
    private sealed class ById(Slab slab) : IEqualityComparer<int>, IAlternateEqualityComparer<JourneyInstanceId, int>
    {
        public bool Equals(int x, int y) => x == y || slab[x].Base.Id == slab[y].Base.Id;

        public int GetHashCode(int obj) => slab[obj].Base.Id.GetHashCode();

        public bool Equals(JourneyInstanceId alternate, int other) => slab[other].Base.Id == alternate;

        public int GetHashCode(JourneyInstanceId alternate) => alternate.GetHashCode();

        public int Create(JourneyInstanceId alternate) => throw new InvalidOperationException("A slot is added whole, never created from its id.");
    }

    /// <summary>Finds slots by their instance's journey and correlation key, which never change for an instance.</summary>
    private sealed class ByKey(Slab slab) : IEqualityComparer<int>, IAlternateEqualityComparer<(string Journey, string Key), int>
    {
        public bool Equals(int x, int y) => x == y || Equals((slab[x].Base.JourneyName, slab[x].Base.CorrelationKey), y);

        public int GetHashCode(int obj) => GetHashCode((slab[obj].Base.JourneyName, slab[obj].Base.CorrelationKey));

        public bool Equals((string Journey, string Key) alternate, int other) =>
            string.Equals(slab[other].Base.CorrelationKey, alternate.Key, StringComparison.Ordinal)
            && string.Equals(slab[other].Base.JourneyName, alternate.Journey, StringComparison.Ordinal);

        public int GetHashCode((string Journey, string Key) alternate) =>
            HashCode.Combine(StringComparer.Ordinal.GetHashCode(alternate.Journey), StringComparer.Ordinal.GetHashCode(alternate.Key));

        public int Create((string Journey, string Key) alternate) => throw new InvalidOperationException("A slot is added whole, never created from its key.");
    }
#else
    /// <summary>Slots by a key of their instance, in a dictionary (.NET 8 has no alternate lookups).</summary>
    private sealed class KeyedSlots<TKey>(Func<int, TKey> keyOf) : IEnumerable<int>
        where TKey : notnull
    {
        private readonly Dictionary<TKey, int> _byKey = [];

        public bool Add(int slot) => _byKey.TryAdd(keyOf(slot), slot);

        public bool Remove(int slot) => _byKey.Remove(keyOf(slot));

        public bool Remove(TKey key) => _byKey.Remove(key);

        public bool TryGetValue(TKey key, out int slot) => _byKey.TryGetValue(key, out slot);

        public IEnumerator<int> GetEnumerator() => _byKey.Values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
#endif
}
