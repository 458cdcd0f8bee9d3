using System.Diagnostics;
using System.Globalization;
using Gradscope;
using Gradscope.Tensors;

// Gradscope's float32 C = A B^T (Gemm.MultiplyTransposeB, the forward product) at the sizes
// openblas_gemm.py times, measured the same way: calls for 0.25 s to warm up (tiered JIT: code
// timed in its first ~100 ms may still be unoptimized), repeats filling about 0.3 s (at least 5),
// median time, GFLOP/s = 2 n^3 / median. One JSON object per line.
// Threads follow Environment.ProcessorCount (DOTNET_PROCESSOR_COUNT=1 for one thread).
// Usage: GradscopeGemm [SIZES]   e.g. 64,512 (default 64,128,256,512,1024,2048)
string sizes = args.Length > 0 ? args[0] : "64,128,256,512,1024,2048";
foreach (string size in sizes.Split(','))
{
    int n = int.Parse(size, CultureInfo.InvariantCulture);
    var (gflops, milliseconds, repeats) = Measure(n, 0.3);
    Console.WriteLine(FormattableString.Invariant(
        $"{{\"peer\": \"gradscope\", \"n\": {n}, \"threads\": {Environment.ProcessorCount}, \"repeats\": {repeats}, \"gflops\": {gflops:F2}, \"ms_median\": {milliseconds:F4}}}"));
}

static (double Gflops, double Milliseconds, int Repeats) Measure(int n, double seconds)
{
    var a = Random(n, 1);
    var b = Random(n, 2);
    var c = new Matrix<float>(n, n);
    long start = Stopwatch.GetTimestamp();
    int warmup = 0;
    while (warmup < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < 0.25)
    {
        Gemm.MultiplyTransposeB(a, b, c);
        warmup++;
    }

    start = Stopwatch.GetTimestamp();
    Gemm.MultiplyTransposeB(a, b, c);
    double once = Stopwatch.GetElapsedTime(start).TotalSeconds;
    int repeats = Math.Max(5, Math.Min(1000, (int)(seconds / Math.Max(once, 1e-7))));
    var times = new double[repeats];
    for (int i = 0; i < repeats; i++)
    {
        start = Stopwatch.GetTimestamp();
        Gemm.MultiplyTransposeB(a, b, c);
        times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    Array.Sort(times);
    double median = repeats % 2 == 1 ? times[repeats / 2] : (times[(repeats / 2) - 1] + times[repeats / 2]) / 2;
    return (2.0 * n * n * n / median / 1e9, median * 1000, repeats);
}

static Matrix<float> Random(int n, int seed)
{
    var rng = new SeededRandom(seed);
    var matrix = new Matrix<float>(n, n);
    var span = matrix.Span;
    for (int i = 0; i < span.Length; i++)
        span[i] = (float)rng.NextGaussian();
    return matrix;
}
