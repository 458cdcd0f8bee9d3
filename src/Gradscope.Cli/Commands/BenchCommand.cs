using System.CommandLine;
using System.Diagnostics;
using System.Numerics;
using Gradscope.Cli.Output;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope bench</c>: how fast is this network on this machine? Times the training step
/// (forward, softmax cross-entropy, backward, SGD update) on one batch of random data.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<int>("--input") { Description = "Features in.", DefaultValueFactory = _ => 784 };
        var layers = new Option<string>("--layers") { Description = "Hidden layers: '10x32' or '512,512'.", DefaultValueFactory = _ => "512,512" };
        var classes = new Option<int>("--classes") { Description = "Outputs (classes).", DefaultValueFactory = _ => 10 };
        var activation = new Option<string>("--activation") { Description = "Hidden activation.", DefaultValueFactory = _ => "relu" };
        var batch = new Option<int>("--batch-size") { Description = "Samples per step.", DefaultValueFactory = _ => 128 };
        var monitor = new Option<string>("--monitor") { Description = "Gradient monitor: off, cheap or standard.", DefaultValueFactory = _ => "off" };
        var steps = new Option<int>("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => 50 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first (JIT, buffers); warm-up also lasts at least a second so the timed steps run optimized code (0: none).", DefaultValueFactory = _ => 10 };
        var dtype = CommonOptions.Dtype();
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var command = new Command("bench",
            "Time the training step of a network on random data: median, min and max milliseconds per step, samples per second and bytes allocated per step.\n\n" +
            "Examples:\n" +
            "  gradscope bench --input 784 --layers 512,512 --classes 10 --activation relu --batch-size 128\n" +
            "  gradscope bench --input 2 --layers 20x64 --classes 2 --activation sigmoid --monitor cheap --json")
        {
            input, layers, classes, activation, batch, monitor, steps, warmup, dtype, json, seed,
        };
        command.SetAction(parsed =>
        {
            var request = new Request(
                Positive(parsed.GetValue(input), "--input"),
                CommonOptions.AsUsage(() => NetworkSpec.ParseLayers(parsed.GetValue(layers)!)),
                Positive(parsed.GetValue(classes), "--classes"),
                CommonOptions.ParseActivation(parsed.GetValue(activation)!),
                Positive(parsed.GetValue(batch), "--batch-size"),
                ParseMonitor(parsed.GetValue(monitor)!),
                Positive(parsed.GetValue(steps), "--steps"),
                OptionChecks.AtLeast(parsed.GetValue(warmup), 0, "--warmup"),
                parsed.GetValue(json),
                parsed.GetValue(seed));
            bool isDouble = CommonOptions.IsDouble(parsed.GetValue(dtype)!);
            EnsureFits(request, parsed.GetValue(layers)!, isDouble);
            var result = isDouble ? Measure<double>(request) : Measure<float>(request);
            Report(context.Out, request, result, isDouble ? "float64" : "float32");
            return CliApp.Success;
        });
        return command;
    }

    private sealed record Request(
        int Input, IReadOnlyList<int> Hidden, int Classes, Activations.Activation Activation, int BatchSize, MonitorPreset Monitor, int Steps, int Warmup, bool Json, int Seed)
    {
        public NetworkSpec Spec => new(Input, Hidden, Classes, Activation);
    }

    private static readonly TimeSpan MinWarmup = TimeSpan.FromSeconds(1);

    private sealed record Result(double Median, double Min, double Max, double SamplesPerSecond, double AllocatedPerStep, int WarmupSteps);

    private static Result Measure<T>(Request request)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var init = Initializer.Parse(request.Activation.IsReluFamily ? "he-normal" : "glorot-uniform");
        var model = request.Spec.Build<T>(init, new SeededRandom(request.Seed));
        var data = RandomData(request);
        var trainer = new Trainer<T>(
            model,
            Loss.Parse<T>("cross-entropy"),
            Optimizer.Create<T>("sgd", new OptimizerOptions { LearningRate = 0.01 }),
            new TrainerOptions { BatchSize = request.BatchSize, Seed = request.Seed });
        var monitor = new SwappableMonitor<T>();
        if (request.Monitor != MonitorPreset.Off)
        {
            trainer.AddObserver(monitor);
            monitor.Current = new GradientMonitor<T>(model, MonitorOptions.For(request.Monitor), request.Warmup + 1);
        }

        var batch = new int[request.BatchSize];
        for (int i = 0; i < batch.Length; i++)
            batch[i] = i;

        int warmupSteps = WarmUp(trainer, data, batch, request.Warmup);

        // A fresh trace sized for the timed steps: warm-up lasts a second, so its trace may have
        // grown past any size guessed up front, and growing it within the timed steps would be timed.
        if (monitor.Current is not null)
            monitor.Current = new GradientMonitor<T>(model, MonitorOptions.For(request.Monitor), request.Steps + 1);
        var milliseconds = new double[request.Steps];
        long allocatedBefore = AllocatedByStepThreads();
        for (int i = 0; i < request.Steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            trainer.Step(data, batch);
            milliseconds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        long allocated = AllocatedByStepThreads() - allocatedBefore;
        Array.Sort(milliseconds);
        int n = milliseconds.Length;
        double median = n % 2 == 1 ? milliseconds[n / 2] : (milliseconds[(n / 2) - 1] + milliseconds[n / 2]) / 2;
        return new Result(median, milliseconds[0], milliseconds[^1], request.BatchSize / (median / 1000), (double)allocated / request.Steps, warmupSteps);
    }

    // The calling thread's allocations and the engine's worker threads' (they run parts of a step).
    private static long AllocatedByStepThreads() =>
        GC.GetAllocatedBytesForCurrentThread() + Gradscope.Tensors.EngineThreads.AllocatedBytes;

    // .NET first runs a method unoptimized and swaps in optimized code once it has run a while; ten
    // steps of a small network end long before that (a 20x64 step timed 10 ms after 10 warm-up steps,
    // 2.4 ms after 300). So warm-up also lasts at least MinWarmup: the steps asked for are a floor.
    private static int WarmUp<T>(Trainer<T> trainer, Dataset data, int[] batch, int minimumSteps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long start = Stopwatch.GetTimestamp();
        int steps = 0;
        while (steps < minimumSteps || (minimumSteps > 0 && Stopwatch.GetElapsedTime(start) < MinWarmup))
        {
            trainer.Step(data, batch);
            steps++;
        }

        return steps;
    }

    // One batch of standard-normal features and uniform labels, from the seed.
    private static Dataset RandomData(Request request)
    {
        var rng = new SeededRandom(request.Seed + 1);
        var features = new double[request.BatchSize * request.Input];
        for (int i = 0; i < features.Length; i++)
            features[i] = rng.NextGaussian();
        var labels = new int[request.BatchSize];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = Math.Min(request.Classes - 1, (int)(rng.NextDouble() * request.Classes));
        return new Dataset("random", features, labels, request.Input, request.Classes);
    }

    private static void Report(TextWriter output, Request request, Result result, string dtype)
    {
        if (!request.Json)
        {
            output.WriteLine($"network      {request.Spec.Describe()}, batch {request.BatchSize}, {dtype}, monitor {request.Monitor.ToString().ToLowerInvariant()}");
            output.WriteLine($"steps        {request.Steps} timed after {result.WarmupSteps} warm-up (at least {request.Warmup} and {MinWarmup.TotalSeconds:F0} s)");
            output.WriteLine(FormattableString.Invariant($"ms per step  median {result.Median:F3}, min {result.Min:F3}, max {result.Max:F3}"));
            output.WriteLine(FormattableString.Invariant($"samples/s    {result.SamplesPerSecond:F0}"));
            output.WriteLine(FormattableString.Invariant($"allocated    {result.AllocatedPerStep:F0} bytes per step"));
            return;
        }

        JsonOutput.WriteObject(output, w =>
        {
            w.WriteString("network", request.Spec.Describe());
            w.WriteNumber("batch_size", request.BatchSize);
            w.WriteString("dtype", dtype);
            w.WriteString("monitor", request.Monitor.ToString().ToLowerInvariant());
            w.WriteNumber("steps", request.Steps);
            w.WriteNumber("warmup", result.WarmupSteps);
            w.WriteNumber("ms_per_step_median", result.Median);
            w.WriteNumber("ms_per_step_min", result.Min);
            w.WriteNumber("ms_per_step_max", result.Max);
            w.WriteNumber("samples_per_s", result.SamplesPerSecond);
            w.WriteNumber("allocated_bytes_per_step", result.AllocatedPerStep);
        });
    }

    // Shapes no machine can hold are bad usage; shapes this machine cannot hold are refused (exit
    // code 1), both before anything is allocated.
    private static void EnsureFits(Request request, string layers, bool isDouble)
    {
        var widths = new List<int?> { request.Input };
        foreach (int width in request.Hidden)
            widths.Add(width);
        widths.Add(request.Classes);
        string given = $"--input {request.Input} --layers {layers} --classes {request.Classes}";
        OptionChecks.DenseShapes(widths, given);
        var estimate = MemoryEstimate.For(request.Spec, new MemoryShape
        {
            BatchSize = request.BatchSize,
            ElementSize = isDouble ? sizeof(double) : sizeof(float),
            MonitorSteps = request.Monitor == MonitorPreset.Off ? 0 : Math.Max(request.Warmup, request.Steps) + 1,
            DataBytes = MemoryEstimate.DataSetBytes(request.BatchSize, request.Input),
        });
        if ((long)request.BatchSize * request.Input > Array.MaxLength)
            throw new UsageException($"--batch-size {request.BatchSize} with --input {request.Input}: the random batch would have {(long)request.BatchSize * request.Input} values, more than the {Array.MaxLength} one array can hold.");
        if (estimate.ArrayLimitProblem($"--batch-size {request.BatchSize} with {given}") is { } problem)
            throw new UsageException(problem);
        estimate.Ensure("this benchmark");
    }

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new UsageException($"{option} must be at least 1; got {value}.");

    private static MonitorPreset ParseMonitor(string name)
    {
        var preset = CommonOptions.AsUsage(() => MonitorOptions.ParsePreset(name));
        if (preset == MonitorPreset.Full)
            throw new UsageException("--monitor must be off, cheap or standard; got 'full'.");
        return preset;
    }

    /// <summary>Forwards to a monitor that can be replaced between warm-up and the timed steps.</summary>
    private sealed class SwappableMonitor<T> : ITrainingObserver<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public GradientMonitor<T>? Current { get; set; }

        public void OnGradients(Layers.Sequential<T> model, in StepInfo step) => Current?.OnGradients(model, step);

        public void OnStepEnd(Layers.Sequential<T> model, in StepInfo step) => Current?.OnStepEnd(model, step);

        public void OnEpochEnd(EpochResult epoch) => Current?.OnEpochEnd(epoch);
    }
}
