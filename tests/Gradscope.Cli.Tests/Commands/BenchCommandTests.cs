using System.Text.Json;

namespace Gradscope.Cli.Tests.Commands;

public sealed class BenchCommandTests
{
    [Fact]
    public void Bench_Json_PrintsOneObjectWithTimings()
    {
        var (code, stdout, stderr) = Run("bench", "--input", "8", "--layers", "3x16", "--classes", "3", "--activation", "tanh",
            "--batch-size", "32", "--steps", "5", "--warmup", "2", "--monitor", "cheap", "--json");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("8-16-16-16-3 tanh", root.GetProperty("network").GetString());
        double median = root.GetProperty("ms_per_step_median").GetDouble();
        Assert.True(median > 0, $"median {median}");
        Assert.True(root.GetProperty("ms_per_step_min").GetDouble() <= median);
        Assert.Equal(32 / (median / 1000), root.GetProperty("samples_per_s").GetDouble(), 6);
        Assert.Equal(0, root.GetProperty("allocated_bytes_per_step").GetDouble());
        // Two steps asked for, but warm-up lasts a second so the timed steps run optimized code.
        Assert.True(root.GetProperty("warmup").GetInt32() > 2, root.GetProperty("warmup").ToString());
    }

    [Fact]
    public void Bench_Table_ShowsMedianAndAllocation()
    {
        var (code, stdout, _) = Run("bench", "--input", "4", "--layers", "8", "--classes", "2", "--batch-size", "8", "--steps", "3", "--warmup", "1");

        Assert.Equal(0, code);
        Assert.Contains("ms per step  median", stdout);
        Assert.Contains("bytes per step", stdout);
    }

    [Fact]
    public void Bench_ZeroSteps_IsUsageError()
    {
        var (code, _, stderr) = Run("bench", "--steps", "0");

        Assert.Equal(2, code);
        Assert.Contains("--steps must be at least 1; got 0.", stderr);
    }

    [Fact]
    public void Bench_FullMonitor_IsUsageError()
    {
        var (code, _, stderr) = Run("bench", "--monitor", "full", "--input", "4", "--layers", "8");

        Assert.Equal(2, code);
        Assert.Contains("--monitor must be off, cheap or standard; got 'full'.", stderr);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr, plain: true);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
