using BenchmarkDotNet.Attributes;
using Gradscope.Benchmarks.Baseline;
using Gradscope.Tensors;

namespace Gradscope.Benchmarks;

/// <summary>
/// Square float32 products <c>C = A B^T</c> (the forward product of a dense layer) at the sizes of
/// the issue: the packed kernel against the row-blocked kernel it replaced.
/// </summary>
public class GemmBenchmarks
{
    private Matrix<float> _a = null!;
    private Matrix<float> _b = null!;
    private Matrix<float> _c = null!;
    private float[] _scratch = null!;

    [Params(64, 128, 256, 512, 1024, 2048)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new SeededRandom(1);
        _a = Random(Size, rng);
        _b = Random(Size, rng);
        _c = new Matrix<float>(Size, Size);
        _scratch = new float[Size * Size];
    }

    [Benchmark(Baseline = true)]
    public void RowBlocked() => RowBlockedGemm.MultiplyTransposeB(_a, _b, _c, _scratch);

    [Benchmark]
    public void Packed() => Gemm.MultiplyTransposeB(_a, _b, _c);

    private static Matrix<float> Random(int size, SeededRandom rng)
    {
        var m = new Matrix<float>(size, size);
        for (int i = 0; i < m.Length; i++)
            m.Span[i] = (float)rng.NextGaussian();
        return m;
    }
}
