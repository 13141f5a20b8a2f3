namespace Recovery.Journeys.Storage;

// The store's indexes of slots (by id, by journey and key): a hash table of slot numbers whose keys the slab holds.
public sealed partial class InMemoryJourneyStore
{
    /// <summary>
    /// Slot numbers by a hash the caller computes once (the keys themselves are the slab's: the caller checks a
    /// candidate's). Its arrays are chunks that stay off the large object heap: entries are added in new chunks without
    /// copying the old ones, and only the buckets are laid out anew when the table doubles. Enumerated in the order
    /// entries were added, a removed entry's place used again by the next one added (as <see cref="HashSet{T}"/> does).
    /// </summary>
    private sealed class SlotIndex
    {
        // 4,096 entries of 12 bytes (48 KB) and 4,096 buckets of 4 bytes a chunk: under the large object heap's 85,000.
        private const int ChunkShift = 12;
        private const int ChunkSize = 1 << ChunkShift;
        private const int ChunkMask = ChunkSize - 1;

        // A free entry's slot; its Next is the next free entry.
        private const int Freed = -1;

        private Entry[][] _entries = [new Entry[4]];

        // Each bucket holds its chain's first entry plus one (0: empty).
        private int[][] _buckets = [new int[4]];
        private int _bucketMask = 3;
        private int _used;
        private int _count;
        private int _free = -1;

        /// <summary>The number of slots indexed.</summary>
        public int Count => _count;

        /// <summary>The first entry of <paramref name="hash"/>'s chain, or −1: walk it with <see cref="Next"/>, check each with <see cref="HashAt"/> and <see cref="SlotAt"/>.</summary>
        public int First(int hash) => BucketOf(hash) - 1;

        public int Next(int entry) => EntryAt(entry).Next;

        public int HashAt(int entry) => EntryAt(entry).Hash;

        public int SlotAt(int entry) => EntryAt(entry).Slot;

        /// <summary>Adds a slot (the caller checked that no slot of its key is indexed).</summary>
        public void Add(int slot, int hash)
        {
            if (_count > _bucketMask)
            {
                Grow();
            }

            int entry;
            if (_free >= 0)
            {
                entry = _free;
                _free = EntryAt(entry).Next;
            }
            else
            {
                entry = _used++;
                Chunks.MakeRoom(ref _entries, entry, ChunkShift);
            }

            ref var bucket = ref BucketOf(hash);
            EntryAt(entry) = new Entry { Hash = hash, Next = bucket - 1, Slot = slot };
            bucket = entry + 1;
            _count++;
        }

        /// <summary>Removes a slot indexed under <paramref name="hash"/>; false when it is not.</summary>
        public bool Remove(int slot, int hash)
        {
            ref var link = ref BucketOf(hash);
            var offset = 1;
            while (link - offset >= 0)
            {
                var entry = link - offset;
                ref var found = ref EntryAt(entry);
                if (found.Slot == slot)
                {
                    link = found.Next + offset;
                    found = new Entry { Hash = 0, Next = _free, Slot = Freed };
                    _free = entry;
                    _count--;
                    return true;
                }

                // Past the bucket, links are entries' Next (the entry itself, not plus one).
                link = ref found.Next;
                offset = 0;
            }

            return false;
        }

        /// <summary>Every slot indexed, in the order of their entries.</summary>
        public IEnumerable<int> Slots()
        {
            for (var entry = 0; entry < _used; entry++)
            {
                if (EntryAt(entry).Slot != Freed)
                {
                    yield return EntryAt(entry).Slot;
                }
            }
        }

        private ref Entry EntryAt(int entry) => ref _entries[entry >> ChunkShift][entry & ChunkMask];

        private ref int BucketOf(int hash)
        {
            var bucket = hash & _bucketMask;
            return ref _buckets[bucket >> ChunkShift][bucket & ChunkMask];
        }

        /// <summary>Doubles the buckets and links every entry anew (the entries stay where they are).</summary>
        private void Grow()
        {
            var size = (_bucketMask + 1) * 2;
            _bucketMask = size - 1;
            _buckets = size <= ChunkSize
                ? [new int[size]]
                : [.. Enumerable.Range(0, size >> ChunkShift).Select(_ => new int[ChunkSize])];

            // Each entry put first in its chain, as Add does.
            for (var entry = 0; entry < _used; entry++)
            {
                ref var kept = ref EntryAt(entry);
                if (kept.Slot != Freed)
                {
                    ref var bucket = ref BucketOf(kept.Hash);
                    kept.Next = bucket - 1;
                    bucket = entry + 1;
                }
            }
        }

        private struct Entry
        {
            public int Hash;
            public int Next;
            public int Slot;
        }
    }
}
