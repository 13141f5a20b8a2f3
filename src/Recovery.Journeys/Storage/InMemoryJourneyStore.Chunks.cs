namespace Recovery.Journeys.Storage;

// How the store's chunked arrays grow (slab, indexes, queues, exits): chunks are added, never copied.
public sealed partial class InMemoryJourneyStore
{
    private static class Chunks
    {
        /// <summary>
        /// Makes room for element <paramref name="index"/> in chunks of <c>1 &lt;&lt; <paramref name="shift"/></c>
        /// elements: the list of chunks doubles when full, a new chunk is allocated whole, and a first chunk allocated
        /// small (a store that stays small) grows by doubling to the full size.
        /// </summary>
        public static void MakeRoom<T>(ref T[][] chunks, int index, int shift)
        {
            var chunk = index >> shift;
            var size = 1 << shift;
            if (chunk == chunks.Length)
            {
                Array.Resize(ref chunks, Math.Max(4, chunks.Length * 2));
            }

            if (chunks[chunk] is null)
            {
                chunks[chunk] = new T[size];
            }
            else if ((index & (size - 1)) == chunks[chunk].Length)
            {
                Array.Resize(ref chunks[chunk], Math.Min(size, chunks[chunk].Length * 2));
            }
        }
    }
}
