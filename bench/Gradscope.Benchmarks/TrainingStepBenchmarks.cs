using BenchmarkDotNet.Attributes;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Training;

namespace Gradscope.Benchmarks;

/// <summary>
/// One training step (forward, loss, backward, SGD update) of each issue configuration, with the
/// gradient monitor off, cheap (every scalar every step) and standard (plus histograms every 50
/// steps). Each iteration is a fixed number of steps so a fresh monitor trace sized for it can be
/// attached outside the measurement.
/// </summary>
[InvocationCount(StepsPerIteration)]
public class TrainingStepBenchmarks
{
    public const int StepsPerIteration = 16;

    private Trainer<float> _trainer = null!;
    private Dataset _data = null!;
    private int[] _batch = null!;
    private SwappableMonitor _monitor = null!;

    [ParamsSource(nameof(Names))]
    public string Config { get; set; } = string.Empty;

    [Params("off", "cheap", "standard")]
    public string Monitor { get; set; } = "off";

    /// <summary>All configurations, or those named in GRADSCOPE_BENCH_CONFIGS (comma-separated) for a focused run.</summary>
    public static IEnumerable<string> Names()
    {
        string? only = Environment.GetEnvironmentVariable("GRADSCOPE_BENCH_CONFIGS");
        var names = StepConfiguration.All.Select(c => c.Name);
        return string.IsNullOrWhiteSpace(only) ? names : names.Where(n => only.Split(',').Contains(n));
    }

    [GlobalSetup]
    public void Setup()
    {
        (_trainer, _data, _batch) = StepConfiguration.Named(Config).CreateTrainer();
        _monitor = new SwappableMonitor();
        if (Monitor != "off")
            _trainer.AddObserver(_monitor);
    }

    [IterationSetup]
    public void FreshTrace()
    {
        var preset = MonitorOptions.ParsePreset(Monitor);
        _monitor.Current = preset == MonitorPreset.Off
            ? null
            : new GradientMonitor<float>(_trainer.Model, MonitorOptions.For(preset), StepsPerIteration + 4);
    }

    [Benchmark]
    public double Step() => _trainer.Step(_data, _batch);
}
