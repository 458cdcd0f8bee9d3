namespace Gradscope.Tensors;

/// <summary>
/// Hands out the work units of a product's cache blocks to the threads that share it, so a thread
/// that runs faster (a vCPU whose sibling is idle, a performance core) takes work from a slower one
/// instead of waiting for it. Each block's units start split into one contiguous segment per part;
/// a part takes units from the front of its own segment and, when that is empty, from the back of
/// another's, so two parts write neighbouring columns of C only where they meet.
/// <para>
/// A segment is one 64-bit word, (block, head, tail), changed by compare-and-swap. Blocks are
/// numbered upwards through a product; the first part to claim in block b re-initializes a segment
/// still tagged with an earlier block. A part reaches block b only after finding every unit of
/// block b - 1 taken, so a segment tagged with a later block tells a part that its block is done.
/// No reset between blocks, and no lock.
/// </para>
/// </summary>
internal sealed class GemmUnitQueue
{
    private const int FieldBits = 20;
    private const long FieldMask = (1L << FieldBits) - 1;

    /// <summary>The most units a block may have (head and tail are 20-bit fields).</summary>
    public const int MaxUnits = 1 << (FieldBits - 1);

    // One segment word per part, each on its own cache line: parts claim from their own segment
    // almost all the time, and must not contend for one line while doing so.
    private const int Stride = 64 / sizeof(long);
    private readonly long[] _segments = new long[GemmWorkers.MaxParts * Stride];

    /// <summary>Forgets all blocks; call before the parts of a new product start (blocks count from 1).</summary>
    public void Clear() => Array.Clear(_segments);

    /// <summary>
    /// Claims a unit of <paramref name="block"/> (numbered from 1, the same for every part), which
    /// has <paramref name="units"/> units; false when all are taken.
    /// </summary>
    public bool TryClaim(int block, int units, int part, int parts, out int unit)
    {
        for (int i = 0; i < parts; i++)
        {
            int segment = (part + i) % parts;
            switch (TryClaimFrom(segment, own: i == 0, block, units, parts, out unit))
            {
                case Claim.Taken:
                    return true;
                case Claim.BlockDone:
                    return false;
            }
        }

        unit = -1;
        return false;
    }

    private enum Claim
    {
        Taken,
        SegmentEmpty,
        BlockDone,
    }

    private Claim TryClaimFrom(int segment, bool own, int block, int units, int parts, out int unit)
    {
        ref long word = ref _segments[segment * Stride];
        unit = -1;
        while (true)
        {
            long seen = Volatile.Read(ref word);
            long tag = seen >> (2 * FieldBits);
            if (tag > block)
                return Claim.BlockDone;
            if (tag < block)
            {
                long start = (long)units * segment / parts, end = (long)units * (segment + 1) / parts;
                Interlocked.CompareExchange(ref word, Pack(block, start, end), seen);
                continue; // whoever initialized it, read it again
            }

            long head = (seen >> FieldBits) & FieldMask, tail = seen & FieldMask;
            if (head >= tail)
                return Claim.SegmentEmpty;
            long claimed = own ? Pack(block, head + 1, tail) : Pack(block, head, tail - 1);
            if (Interlocked.CompareExchange(ref word, claimed, seen) == seen)
            {
                unit = (int)(own ? head : tail - 1);
                return Claim.Taken;
            }
        }
    }

    private static long Pack(long block, long head, long tail) => (block << (2 * FieldBits)) | (head << FieldBits) | tail;
}
