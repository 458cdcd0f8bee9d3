using System.Runtime.CompilerServices;

namespace Gradscope.Tensors;

/// <summary>
/// The loop nest shared by all cores (BLIS's scheme): the parts pack each B block and each A
/// block together, one share each, into buffers of the job, wait for one another, then take the
/// block's work units from a <see cref="GemmUnitQueue"/> until none is left.
/// <para>
/// Splitting C into one fixed part per thread made every part pack all of A (or all of B) and let
/// the slower thread set the pace: measured on this 2-vCPU machine, the part that led through
/// shared A took 10-28% longer than the other, and the faster thread then waited that long.
/// Here no block is packed twice, and a thread that finishes its share of a block takes units from
/// the other's.
/// </para>
/// </summary>
internal sealed partial class GemmJob<T>
{
    /// <summary>About this many work units per block: enough for the parts to even out.</summary>
    private const int UnitsPerBlock = 32;

    private readonly GemmBuffers<T> _shared = new();
    private readonly GemmUnitQueue _queue = new();
    private double[] _unitSquares = [];
    private int _unitSlots;
    private readonly SpinBarrier _barrier = new();
    private bool _prepared;

    /// <summary>
    /// Prepares a product that may be shared by the cores, on the calling thread before any part
    /// starts: sizes the shared buffers (and the caller's own, in case the product falls back to
    /// serial), so that a steady-state product never grows one whichever way it runs.
    /// </summary>
    public void PrepareShared()
    {
        var (mcMax, kcMax, ncMax) = Blocking();
        int nr = GemmKernel.NrFor<T>(_path);
        int m = _c!.Rows, n = _c.Cols;
        _shared.A(2 * mcMax * kcMax); // two A blocks: one packed while the other is in use
        _shared.B(RoundUp(ncMax, nr) * kcMax);
        var own = GemmBuffers<T>.ForCurrentThread();
        own.A(mcMax * kcMax);
        own.B(RoundUp(ncMax, nr) * kcMax);
        int lastDepthBlocks = ((n + ncMax - 1) / ncMax) * ((m + mcMax - 1) / mcMax);
        int slots = lastDepthBlocks * UnitsPerBlock;
        if (_unitSquares.Length < slots)
            _unitSquares = new double[slots];
        Array.Clear(_unitSquares, 0, slots);
        _queue.Clear();
        _barrier.Reset();
        (_unitSlots, _prepared) = (slots, true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunShared<TVec, TSimd>(int part, int parts)
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        if (!_prepared)
            throw new InvalidOperationException("A shared product needs PrepareShared on the calling thread first.");
        try
        {
            ShareLoops<TVec, TSimd>(part, parts);
        }
        catch
        {
            _barrier.Abort(); // the other parts leave their barriers instead of waiting forever
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ShareLoops<TVec, TSimd>(int part, int parts)
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        const int mr = GemmMicroKernel.Mr;
        int nr = 2 * TSimd.Width;
        int m = _c!.Rows, n = _c.Cols;
        var (mcMax, kcMax, ncMax) = Blocking();
        bool aInPlace = AInPlace;
        Span<T> sharedA = _shared.A(2 * mcMax * kcMax);
        Span<T> sharedB = _shared.B(RoundUp(ncMax, nr) * kcMax);
        ReadOnlySpan<T> a = _a!.Span;
        ReadOnlySpan<T> bias = _bias is null ? default : _bias.Span;
        int lda = _a.Cols;
        int lastIc = (m - 1) / mcMax * mcMax;
        int block = 0, slot = 0;
        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < _k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, _k - pc);
                if (block > 0)
                    Barrier(parts); // every part is done with the B block (and both A blocks)
                PackShareOfB(part, parts, pc, kc, jc, nc, nr, sharedB);

                // A read in place: the last block's partial micro-panel is packed once, by the last
                // part, into the otherwise unused A buffer, not by every unit that reaches it.
                int edgeRows = aInPlace ? (m - lastIc) % mr : 0;
                if (edgeRows != 0 && part == parts - 1)
                    GemmOperandA<T>.InPlaceAt(a, lda, _transposeA, lastIc, pc).PackEdge(m - lastIc - edgeRows, edgeRows, kc, sharedA);

                var at = new BlockOrigin(jc, nc, kc, !_accumulate && pc == 0, pc + kc >= _k);
                ReadOnlySpan<T> blockBias = pc == 0 && !bias.IsEmpty ? bias.Slice(jc, nc) : default;
                int ab = 0;
                for (int ic = 0; ic < m; ic += mcMax, ab ^= 1)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    GemmOperandA<T> operand;
                    if (aInPlace)
                    {
                        operand = GemmOperandA<T>.InPlaceAt(a, lda, _transposeA, ic, pc);
                        if (ic == 0)
                            Barrier(parts); // B and the edge panel are packed
                    }
                    else
                    {
                        // Two A buffers: a part packing this block's A has passed the barrier after
                        // the previous block's packing, so everyone is done with the block before it.
                        Span<T> packedA = sharedA.Slice(ab * mcMax * kcMax, mcMax * kcMax);
                        PackShareOfA(part, parts, ic, mc, pc, kc, packedA);
                        Barrier(parts); // A (and, for the first block, B) is packed
                        operand = GemmOperandA<T>.Packed(packedA, kc);
                    }

                    block++;
                    var grid = UnitGrid(mc, nc, kc, nr);
                    RunUnits<TVec, TSimd>(part, parts, block, ic, mc, at, grid, operand, sharedA, sharedB, blockBias, slot);
                    if (at.LastDepth)
                    {
                        slot += grid.Units;
                        if (_epilogue is not null)
                            ApplyEpilogue(part, parts, ic, mc, jc, nc);
                    }
                }
            }
        }
    }

    // This part's share of the B block's micro-panels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackShareOfB(int part, int parts, int pc, int kc, int jc, int nc, int nr, Span<T> packedB)
    {
        var (first, end) = Share((nc + nr - 1) / nr, part, parts);
        if (first < end)
            GemmPacking.PackB(_b!.Span, _b.Cols, _transposeB, pc, kc, jc + (first * nr), Math.Min(nc, end * nr) - (first * nr), nr, packedB.Slice(first * nr * kc));
    }

    // This part's share of the A block's micro-panels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackShareOfA(int part, int parts, int ic, int mc, int pc, int kc, Span<T> packedA)
    {
        const int mr = GemmMicroKernel.Mr;
        var (first, end) = Share((mc + mr - 1) / mr, part, parts);
        int row = first * mr;
        if (first < end)
            GemmPacking.PackA(_a!.Span, _a.Cols, _transposeA, ic + row, Math.Min(mc, end * mr) - row, pc, kc, packedA.Slice(row * kc));
    }

    // Once all of a block's units are written, each part applies the epilogue to a share of its
    // rows: whole rows of C are one contiguous span, so the activation runs in a few long calls
    // instead of one per unit row (a 64 x 256 block in 16-column units made 1,024 calls of 16 values).
    private void ApplyEpilogue(int part, int parts, int ic, int mc, int jc, int nc)
    {
        Barrier(parts);
        int shares = Math.Clamp(mc * nc / MinEpilogueValues, 1, parts);
        if (part >= shares)
            return;
        var (first, end) = Share(mc, part, shares);
        if (first < end)
            _epilogue!.Apply(ic + first, end - first, jc, nc);
    }

    /// <summary>The fewest values of C an epilogue call gets (never a span shorter than a vector).</summary>
    private const int MinEpilogueValues = 64;

    /// <summary>Columns, depth and what to do of one B block.</summary>
    private readonly record struct BlockOrigin(int Jc, int Nc, int Kc, bool Overwrite, bool LastDepth);

    // Takes units of one block until none is left. A unit is a rectangle of whole micro-panels;
    // its sum of squares goes to a slot of its own, so the total does not depend on who ran it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunUnits<TVec, TSimd>(int part, int parts, int block, int ic, int mc, BlockOrigin at, UnitLayout grid, GemmOperandA<T> operand, Span<T> edgePanel, Span<T> packedB, ReadOnlySpan<T> blockBias, int slot)
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        int ldc = _c!.Cols;
        Span<T> blockC = _c.Span.Slice((ic * ldc) + at.Jc);
        bool squares = _squares && at.LastDepth;
        while (_queue.TryClaim(block, grid.Units, part, parts, out int unit))
        {
            double sum = RunUnit<TVec, TSimd>(grid, unit, mc, at, operand, edgePanel, packedB, blockC, ldc, blockBias, squares);
            if (squares)
                _unitSquares[slot + unit] = sum;
        }
    }

    // One unit of a block whose C starts at blockC (its edge panel, if any, already packed). The
    // shared and the serial loop both run units through here, so a unit's values and its sum of
    // squares are the same whichever loop ran it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double RunUnit<TVec, TSimd>(UnitLayout grid, int unit, int mc, BlockOrigin at, GemmOperandA<T> operand, Span<T> edgePanel, Span<T> packedB, Span<T> blockC, int ldc, ReadOnlySpan<T> blockBias, bool squares)
        where TVec : struct
        where TSimd : IGemmSimd<TVec, T>
    {
        var (r0, rows, c0, cols) = grid.Unit(unit, mc, at.Nc);
        return GemmMicroKernel.Block<T, TVec, TSimd>(
            rows, cols, at.Kc, operand.FromRow(r0), edgePanel, edgePacked: true, packedB.Slice(c0 * at.Kc), blockC.Slice((r0 * ldc) + c0), ldc, at.Overwrite, blockBias.IsEmpty ? default : blockBias.Slice(c0, cols), squares);
    }

    /// <summary>
    /// Units of a block: columns in groups of whole micro-panels; rows split too only when there
    /// are fewer column groups than units wanted (a narrow C). Up to <see cref="UnitsPerBlock"/>
    /// units, each at least <see cref="MinUnitMultiplyAdds"/> of work. A part's units are then
    /// neighbouring columns, and each streams the block's A past B micro-panels held in L1, as the
    /// serial loop does. The last group of each kind takes the partial panel.
    /// </summary>
    private static UnitLayout UnitGrid(int mc, int nc, int kc, int nr)
    {
        const int mr = GemmMicroKernel.Mr;
        int wanted = (int)Math.Clamp((long)mc * nc * kc / MinUnitMultiplyAdds, 1, UnitsPerBlock);
        int colPanels = Math.Max(1, nc / nr), rowPanels = Math.Max(1, mc / mr);
        int perColGroup = (colPanels + wanted - 1) / wanted;
        int colGroups = colPanels / perColGroup;
        int rowGroupsWanted = Math.Clamp(wanted / colGroups, 1, rowPanels);
        int perRowGroup = (rowPanels + rowGroupsWanted - 1) / rowGroupsWanted;
        int rowGroups = rowPanels / perRowGroup;
        return new UnitLayout(rowGroups, perRowGroup * mr, colGroups, perColGroup * nr);
    }

    /// <summary>Work of the smallest unit: a claim costs tens of nanoseconds, a unit this size microseconds.</summary>
    private const long MinUnitMultiplyAdds = 128 * 1024;

    /// <summary>A block's units: row groups of RowStep rows by column groups of ColStep columns, the last of each taking the rest.</summary>
    private readonly record struct UnitLayout(int RowGroups, int RowStep, int ColGroups, int ColStep)
    {
        public int Units => RowGroups * ColGroups;

        public (int Row, int Rows, int Col, int Cols) Unit(int unit, int mc, int nc)
        {
            int rowGroup = unit % RowGroups, colGroup = unit / RowGroups;
            int row = rowGroup * RowStep, col = colGroup * ColStep;
            int rows = rowGroup == RowGroups - 1 ? mc - row : RowStep;
            int cols = colGroup == ColGroups - 1 ? nc - col : ColStep;
            return (row, rows, col, cols);
        }
    }

    /// <summary>Part <paramref name="part"/>'s share of <paramref name="count"/> panels to pack: [first, end).</summary>
    private static (int First, int End) Share(int count, int part, int parts) =>
        ((int)((long)count * part / parts), (int)((long)count * (part + 1) / parts));

    // Every part has packed, or is done with, what the next step needs.
    private void Barrier(int parts) => _barrier.Wait(parts, "Another part of this matrix product failed.");
}
