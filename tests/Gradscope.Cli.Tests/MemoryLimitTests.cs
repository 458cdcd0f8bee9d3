using System.Diagnostics;
using Gradscope.TestSupport;

namespace Gradscope.Cli.Tests;

/// <summary>
/// Runs too large for the memory are refused before anything is allocated, with the estimate and
/// the limit (exit code 1: the command is valid, this machine is too small for it), and loaders
/// stop on files that never end. These set GRADSCOPE_MEMORY_LIMIT, which the whole process sees,
/// so they run alone.
/// </summary>
[Collection(MemoryLimitCollection.Name)]
public sealed class MemoryLimitTests
{
    [Fact]
    public void Train_LayersTooLargeForTheLimit_AreRefusedAtOnce()
    {
        var clock = Stopwatch.StartNew();
        var (exit, _, error) = RunWithLimit("2G", "train", "--layers", "2x45000", "--dtype", "float64", "--epochs", "1");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: this run needs about 48.", error, StringComparison.Ordinal);
        Assert.Contains("(parameters 16.2 GB, gradients 16.2 GB, monitor 16.2 GB, ", error, StringComparison.Ordinal);
        Assert.EndsWith("but 2.0 GB are allowed by GRADSCOPE_MEMORY_LIMIT." + Environment.NewLine, error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Train_FromAFifoThatNeverEnds_StopsAtTheBound()
    {
        string dir = CliRunner.TempDir();
        string fifo = Path.Combine(dir, "endless.csv");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
            mkfifo.WaitForExit();
        var writer = Task.Run(() =>
        {
            try
            {
                using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write);
                byte[] rows = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1,2,3\n", 10_000)));
                while (true)
                    pipe.Write(rows);
            }
            catch (IOException)
            {
                // The reader stopped: the point of the test.
            }
        });

        var (exit, _, error) = RunWithLimit("64M", "train", "--data", fifo, "--epochs", "1");

        Assert.Equal(1, exit);
        Assert.Equal($"error: {fifo}: the data goes on past 8.0 MB, the most a text data file may hold (1/8 of the memory) when 64.0 MB are allowed by GRADSCOPE_MEMORY_LIMIT; is it a device or a pipe that never ends?" + Environment.NewLine, error);
        Assert.Same(writer, await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void Bench_TooLargeForTheLimit_IsRefused()
    {
        var (exit, _, error) = RunWithLimit("1G", "bench", "--layers", "3x20000");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: this benchmark needs about 6.7 GB (parameters 3.3 GB, gradients 3.3 GB, ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheoryMeasure_TooLargeForTheLimit_IsRefused()
    {
        var (exit, _, error) = RunWithLimit("1G", "theory", "--measure", "--width", "20000", "--weight-var", "1.5");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: measuring random networks of width 20000 and depth 50 needs about 32", error, StringComparison.Ordinal);
        Assert.Contains("but 1.0 GB are allowed by GRADSCOPE_MEMORY_LIMIT.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_TooLargeForTheLimit_IsRefused()
    {
        var (exit, _, error) = RunWithLimit("1G", "demo", "--layers", "2x20000", "--epochs", "1");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: this run needs about 4.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectAndDiagnose_TooLargeForTheLimit_AreRefused()
    {
        string model = Path.Combine(CliRunner.TempDir(), "m.safetensors");
        var (trained, _, trainError) = CliRunner.Run("train", "--layers", "256", "--epochs", "1", "--save", model);
        Assert.True(trained == 0, trainError);

        var (inspect, _, inspectError) = RunWithLimit("500k", "inspect", "--model", model, "--data", "spiral");
        var (diagnose, _, diagnoseError) = RunWithLimit("100k", "diagnose", "--model", model, "--data", "spiral");

        Assert.Equal(1, inspect);
        Assert.StartsWith("error: inspecting this model on all 900 rows needs about ", inspectError, StringComparison.Ordinal);
        Assert.Equal(1, diagnose);
        Assert.StartsWith("error: this run needs about ", diagnoseError, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedLimit_IsBadUsage()
    {
        var (exit, _, error) = RunWithLimit("lots", "train", "--epochs", "1");

        Assert.Equal(2, exit);
        Assert.Equal("error: GRADSCOPE_MEMORY_LIMIT must be a size in bytes, like 1073741824, 512M, 1.5G or 2Gi; got 'lots'." + Environment.NewLine, error);
    }

    [Fact]
    public void Train_DataWithNulBytes_StopsAtOnce()
    {
        string csv = Path.Combine(CliRunner.TempDir(), "zeros.csv");
        File.WriteAllBytes(csv, new byte[1 << 20]);

        var (exit, _, error) = CliRunner.Run("train", "--data", csv, "--epochs", "1");

        Assert.Equal(1, exit);
        Assert.Equal($"error: {csv}: character 1 is a NUL (zero) byte, which text never holds; is this a binary file or a device?" + Environment.NewLine, error);
    }

    [Fact]
    public void Train_ModelSpecWithMillionUnitLayers_NamesTheFile()
    {
        string spec = Path.Combine(CliRunner.TempDir(), "huge.json");
        File.WriteAllText(spec, """{"layers": [{"type": "dense", "units": 1000000}, {"type": "activation", "name": "relu"}, {"type": "dense", "units": 1000000}]}""");

        var (exit, _, error) = CliRunner.Run("train", "--model-spec", spec, "--epochs", "1");

        Assert.Equal(1, exit);
        Assert.Equal($"error: {spec} needs the weights of dense layer 2 (1000000x1000000) as one array of 1000000000000 values, more than the {Array.MaxLength} an array can hold." + Environment.NewLine, error);
    }

    private static (int Exit, string Out, string Err) RunWithLimit(string limit, params string[] args)
    {
        using var environment = new EnvironmentScope(("GRADSCOPE_MEMORY_LIMIT", limit));
        return CliRunner.Run(args);
    }
}

/// <summary>Tests that set process-wide environment variables: run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryLimitCollection
{
    public const string Name = "GRADSCOPE_MEMORY_LIMIT (not parallel)";
}
