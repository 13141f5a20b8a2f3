using NodaTime;

namespace Recovery.Journeys.Storage;

// The queues of due slots and of exits to forget: min-heaps on an instant, in chunks that stay off the large object heap.
public sealed partial class InMemoryJourneyStore
{
    /// <summary>
    /// Values by an instant, earliest first (slot numbers by when they are due, exits' places by when they expire): the
    /// heap of <see cref="PriorityQueue{TElement, TPriority}"/> (four children a node, the same moves, so the same order
    /// for values at the same instant), its nodes kept in chunks that are added, never copied, as it grows.
    /// </summary>
    private sealed class DueQueue<T>
        where T : struct
    {
        // 1,024 nodes of a number and an instant (24 bytes) a chunk: 24 KB, under the large object heap's 85,000.
        private const int ChunkShift = 10;
        private const int ChunkSize = 1 << ChunkShift;
        private const int ChunkMask = ChunkSize - 1;
        private const int Log2Arity = 2;
        private const int Arity = 1 << Log2Arity;

        private Node[][] _chunks = [new Node[4]];
        private int _size;

        public void Enqueue(T value, Instant dueAt)
        {
            var index = _size;
            Chunks.MakeRoom(ref _chunks, index, ChunkShift);
            _size++;
            MoveUp(new Node(value, dueAt), index);
        }

        public bool TryPeek(out T value, out Instant dueAt)
        {
            if (_size == 0)
            {
                value = default;
                dueAt = default;
                return false;
            }

            ref var root = ref At(0);
            (value, dueAt) = (root.Value, root.DueAt);
            return true;
        }

        /// <summary>Removes the earliest (the queue is not empty).</summary>
        public void Dequeue()
        {
            var last = --_size;
            if (last > 0)
            {
                MoveDown(At(last), 0);
            }
        }

        private ref Node At(int index) => ref _chunks[index >> ChunkShift][index & ChunkMask];

        private void MoveUp(Node node, int index)
        {
            while (index > 0)
            {
                var parent = (index - 1) >> Log2Arity;
                ref var above = ref At(parent);
                if (node.DueAt >= above.DueAt)
                {
                    break;
                }

                At(index) = above;
                index = parent;
            }

            At(index) = node;
        }

        private void MoveDown(Node node, int index)
        {
            int child;
            while ((child = (index << Log2Arity) + 1) < _size)
            {
                var least = At(child);
                var leastIndex = child;
                var end = Math.Min(child + Arity, _size);
                while (++child < end)
                {
                    ref var next = ref At(child);
                    if (next.DueAt < least.DueAt)
                    {
                        least = next;
                        leastIndex = child;
                    }
                }

                if (node.DueAt <= least.DueAt)
                {
                    break;
                }

                At(index) = least;
                index = leastIndex;
            }

            At(index) = node;
        }

        private readonly record struct Node(T Value, Instant DueAt);
    }
}
