using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gradscope.Tensors;

/// <summary>
/// Where the micro-kernel finds the A block: element (r, p) of micro-panel ir is
/// <c>Data[ir * PanelStride + r * RowStride + p * ColStride]</c>. Packed panels are (kc, 1, Mr);
/// A read in place is (lda, lda, 1) when stored row-major and (1, 1, lda) when stored transposed.
/// Small products read A in place: packing it (a strided copy per element) cost more than a
/// third of a 128x64x64 product, while an A that fits in L2 gains nothing from being packed.
/// </summary>
internal readonly ref struct GemmOperandA<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private GemmOperandA(ReadOnlySpan<T> data, int panelStride, nint rowStride, nint colStride, bool inPlace)
    {
        Data = data;
        PanelStride = panelStride;
        RowStride = rowStride;
        ColStride = colStride;
        InPlace = inPlace;
    }

    public ReadOnlySpan<T> Data { get; }

    public int PanelStride { get; }

    public nint RowStride { get; }

    public nint ColStride { get; }

    public bool InPlace { get; }

    /// <summary>Panels packed by <see cref="GemmPacking.PackA{T}"/> with depth <paramref name="kc"/>.</summary>
    public static GemmOperandA<T> Packed(ReadOnlySpan<T> packed, int kc) => new(packed, kc, 1, GemmMicroKernel.Mr, inPlace: false);

    /// <summary>op(A) read where it is stored, from row <paramref name="i0"/> and depth <paramref name="p0"/> on.</summary>
    public static GemmOperandA<T> InPlaceAt(ReadOnlySpan<T> a, int lda, bool transposed, int i0, int p0) => transposed
        ? new(a.Slice((p0 * lda) + i0), 1, 1, lda, inPlace: true)
        : new(a.Slice((i0 * lda) + p0), lda, lda, 1, inPlace: true);

    /// <summary>The same operand from row <paramref name="row"/> (a multiple of Mr) of the block on.</summary>
    public GemmOperandA<T> FromRow(int row) => new(Data.Slice(row * PanelStride), PanelStride, RowStride, ColStride, InPlace);

    /// <summary>
    /// Copies the last, partial micro-panel (rows <paramref name="row"/> to
    /// <paramref name="row"/> + <paramref name="rows"/>) in packed layout, padded with zeros.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PackEdge(int row, int rows, int kc, Span<T> destination)
    {
        const int mr = GemmMicroKernel.Mr;
        Span<T> panel = destination.Slice(0, mr * kc);
        panel.Clear();
        // The slice checks the extent once (the last row at the last depth); the copies index
        // without checks. Row by row: in place, a row of A is contiguous or a constant stride.
        ReadOnlySpan<T> source = Data.Slice(row * PanelStride, (int)(((rows - 1) * RowStride) + ((kc - 1) * ColStride)) + 1);
        ref T s0 = ref MemoryMarshal.GetReference(source);
        ref T d0 = ref MemoryMarshal.GetReference(panel);
        for (int r = 0; r < rows; r++)
        {
            ref T s = ref Unsafe.Add(ref s0, r * RowStride);
            for (int p = 0; p < kc; p++)
                Unsafe.Add(ref d0, (p * mr) + r) = Unsafe.Add(ref s, p * ColStride);
        }
    }
}
