using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

/// <summary>
/// The worker handoff under load: thousands of back-to-back parallel products, each checked for
/// completeness (a product whose wait ended before a worker finished leaves NaN behind), and
/// several threads competing for the workers at once (the losers run serially). The stale-signal
/// race fixed in <see cref="GemmWorkers"/> needs a worker preempted within a few instructions and
/// is not reliably reproduced here; these guard the handoff as a whole.
/// </summary>
public sealed class GemmWorkersTests
{
    [Fact]
    public void BackToBackParallelProducts_AreAllComplete()
    {
        // 192x128x128 is above the parallel threshold: every call splits over the cores.
        Assert.True(192L * 128 * 128 >= GemmKernel.ParallelThreshold);
        var a = Random(192, 128, 1);
        var b = Random(128, 128, 2);
        var expected = ReferenceGemm.Multiply(a, false, b, true);
        var c = new Matrix<float>(192, 128);
        Gemm.MultiplyTransposeB(a, b, c);
        Assert.True(Close(expected, c));
        var first = c.Span.ToArray();
        for (int round = 1; round < 1500; round++)
        {
            c.Span.Fill(float.NaN); // a tile left unwritten stays NaN
            Gemm.MultiplyTransposeB(a, b, c);
            Assert.True(c.Span.SequenceEqual(first), $"round {round}: the product is incomplete or differs");
        }
    }

    [Fact]
    public void ConcurrentCallers_EachGetTheirOwnCompleteProduct()
    {
        var failures = new int[4];
        var threads = new Thread[failures.Length];
        for (int t = 0; t < threads.Length; t++)
        {
            int id = t;
            threads[t] = new Thread(() =>
            {
                var a = Random(150 + id, 130, 10 + id);
                var b = Random(120, 130, 20 + id);
                var expected = ReferenceGemm.Multiply(a, false, b, true);
                var c = new Matrix<float>(a.Rows, b.Rows);
                for (int round = 0; round < 200; round++)
                {
                    Gemm.MultiplyTransposeB(a, b, c);
                    if (!Close(expected, c))
                        failures[id]++;
                }
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
            thread.Join();
        Assert.All(failures, count => Assert.Equal(0, count));
    }

    private static bool Close(Matrix<float> expected, Matrix<float> actual)
    {
        for (int i = 0; i < expected.Span.Length; i++)
        {
            float e = expected.Span[i], v = actual.Span[i];
            if (!(Math.Abs(e - v) <= 1e-4f * Math.Max(1f, Math.Abs(e))))
                return false;
        }

        return true;
    }

    private static Matrix<float> Random(int rows, int cols, int seed)
    {
        var rng = new SeededRandom(seed);
        var matrix = new Matrix<float>(rows, cols);
        var span = matrix.Span;
        for (int i = 0; i < span.Length; i++)
            span[i] = (float)rng.NextGaussian();
        return matrix;
    }
}
