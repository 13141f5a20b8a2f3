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
        // 256 slots of 168 bytes: 42 KB a chunk, under the large object heap's threshold (85,000 bytes).
        private const int ChunkShift = 8;
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

            Chunks.MakeRoom(ref _chunks, _used, ChunkShift);
            return _used++;
        }

        /// <summary>Frees a slot (its instance is gone from the store's sets).</summary>
        public void Free(int index)
        {
            this[index].Free();
            _free.Push(index);
        }
    }
}
