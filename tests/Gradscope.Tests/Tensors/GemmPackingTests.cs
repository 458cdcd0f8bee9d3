using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

/// <summary>
/// The packed layouts checked element by element against their definitions, on the vector
/// paths (full panels, depths in whole blocks of 8 and with a remainder) and the scalar edges.
/// The GEMM tests see packing only through products; a wrong zero pad or a stray store into a
/// neighbouring panel is named here directly.
/// </summary>
public sealed class GemmPackingTests
{
    private const int Mr = GemmMicroKernel.Mr;

    public static TheoryData<int, int, bool> ABlocks() => new()
    {
        { 12, 16, false }, { 12, 16, true }, { 18, 27, false }, { 18, 27, true },
        { 7, 9, false }, { 7, 9, true }, { 1, 3, false }, { 35, 64, true }, { 35, 64, false },
    };

    public static TheoryData<int, int, bool> BBlocks() => new()
    {
        { 32, 16, false }, { 32, 16, true }, { 35, 27, false }, { 35, 27, true },
        { 5, 9, false }, { 5, 9, true }, { 16, 1, false }, { 48, 64, true },
    };

    [Theory]
    [MemberData(nameof(ABlocks))]
    public void PackA_MatchesDefinition(int mc, int kc, bool transposed)
    {
        CheckPackA<float>(mc, kc, transposed);
        CheckPackA<double>(mc, kc, transposed);
    }

    [Theory]
    [MemberData(nameof(BBlocks))]
    public void PackB_MatchesDefinition(int nc, int kc, bool transposed)
    {
        foreach (int nr in new[] { 2, 8, 16, 32 })
        {
            CheckPackB<float>(nc, kc, transposed, nr);
            CheckPackB<double>(nc, kc, transposed, nr);
        }
    }

    private static void CheckPackA<T>(int mc, int kc, bool transposed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A block inside a larger matrix, so offsets and the leading dimension are exercised.
        const int i0 = 3, p0 = 5;
        int rows = i0 + mc + 2, cols = p0 + kc + 3;
        int lda = transposed ? rows : cols;
        T[] a = Sequence<T>(rows * cols);
        int panels = (mc + Mr - 1) / Mr;
        // One panel of sentinels after the block catches a store past its end.
        T[] packed = Filled(((panels + 1) * Mr * kc), T.CreateTruncating(-7));
        GemmPacking.PackA<T>(a, lda, transposed, i0, mc, p0, kc, packed);
        for (int panel = 0; panel < panels; panel++)
        {
            for (int p = 0; p < kc; p++)
            {
                for (int r = 0; r < Mr; r++)
                {
                    int i = (panel * Mr) + r;
                    T expected = i >= mc ? T.Zero : transposed ? a[((p0 + p) * lda) + i0 + i] : a[((i0 + i) * lda) + p0 + p];
                    Assert.True(expected == packed[(panel * Mr * kc) + (p * Mr) + r], $"{typeof(T).Name} mc={mc} kc={kc} T={transposed}: panel {panel} depth {p} row {r}");
                }
            }
        }

        for (int e = panels * Mr * kc; e < packed.Length; e++)
            Assert.Equal(T.CreateTruncating(-7), packed[e]);
    }

    private static void CheckPackB<T>(int nc, int kc, bool transposed, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int j0 = 2, p0 = 3;
        int depth = p0 + kc + 1, width = j0 + nc + 4;
        int ldb = transposed ? depth : width;
        T[] b = Sequence<T>(depth * width);
        int panels = (nc + nr - 1) / nr;
        T[] packed = Filled((panels + 1) * nr * kc, T.CreateTruncating(-7));
        GemmPacking.PackB<T>(b, ldb, transposed, p0, kc, j0, nc, nr, packed);
        for (int panel = 0; panel < panels; panel++)
        {
            for (int p = 0; p < kc; p++)
            {
                for (int c = 0; c < nr; c++)
                {
                    int j = (panel * nr) + c;
                    T expected = j >= nc ? T.Zero : transposed ? b[((j0 + j) * ldb) + p0 + p] : b[((p0 + p) * ldb) + j0 + j];
                    Assert.True(expected == packed[(panel * nr * kc) + (p * nr) + c], $"{typeof(T).Name} nc={nc} kc={kc} nr={nr} T={transposed}: panel {panel} depth {p} column {c}");
                }
            }
        }

        for (int e = panels * nr * kc; e < packed.Length; e++)
            Assert.Equal(T.CreateTruncating(-7), packed[e]);
    }

    private static T[] Sequence<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
            values[i] = T.CreateTruncating(i + 1);
        return values;
    }

    private static T[] Filled<T>(int length, T value)
    {
        var values = new T[length];
        Array.Fill(values, value);
        return values;
    }
}
