using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Benchmarks;

/// <summary>A network and batch size from the performance issue; float32, softmax cross-entropy, SGD.</summary>
public sealed record StepConfiguration(string Name, int Input, int[] Hidden, int Classes, string Activation, int BatchSize)
{
    /// <summary>The five configurations of the issue (the issue-3 ones, 20x64 sigmoid and 784-512-512-10 relu, are among them).</summary>
    public static IReadOnlyList<StepConfiguration> All { get; } =
    [
        new("deep-narrow-sigmoid", 2, Repeat(64, 20), 2, "sigmoid", 128),
        new("deep-narrow-relu", 2, Repeat(64, 20), 2, "relu", 128),
        new("mnist-mlp", 784, [512, 512], 10, "relu", 128),
        new("wide", 784, [2048, 2048], 10, "relu", 256),
        new("deep-mnist-tanh", 784, Repeat(256, 10), 10, "tanh", 64),
    ];

    public static StepConfiguration Named(string name) =>
        All.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"No configuration '{name}'.", nameof(name));

    /// <summary>A trainer on one fixed batch of random data (seed 1); the batch indices are returned.</summary>
    public (Trainer<float> Trainer, Dataset Data, int[] Batch) CreateTrainer()
    {
        var spec = new NetworkSpec(Input, Hidden, Classes, Gradscope.Activations.Activation.Parse(Activation));
        var model = spec.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(1));
        var rng = new SeededRandom(2);
        var features = new double[BatchSize * Input];
        for (int i = 0; i < features.Length; i++)
            features[i] = rng.NextGaussian();
        var labels = new int[BatchSize];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = (int)(rng.NextDouble() * Classes) % Classes;
        var data = new Dataset("random", features, labels, Input, Classes);
        var trainer = new Trainer<float>(
            model,
            Loss.Parse<float>("cross-entropy"),
            Optimizer.Create<float>("sgd", new OptimizerOptions { LearningRate = 0.01 }),
            new TrainerOptions { BatchSize = BatchSize });
        var batch = new int[BatchSize];
        for (int i = 0; i < batch.Length; i++)
            batch[i] = i;
        return (trainer, data, batch);
    }

    public override string ToString() => Name;

    private static int[] Repeat(int width, int count) => Enumerable.Repeat(width, count).ToArray();
}

/// <summary>
/// Forwards to a gradient monitor that can be replaced between benchmark iterations, so the
/// monitor's trace never grows during a measured iteration (growth would be the trace's cost,
/// not the step's).
/// </summary>
internal sealed class SwappableMonitor : ITrainingObserver<float>
{
    public GradientMonitor<float>? Current { get; set; }

    public void OnGradients(Layers.Sequential<float> model, in StepInfo step) => Current?.OnGradients(model, step);

    public void OnStepEnd(Layers.Sequential<float> model, in StepInfo step) => Current?.OnStepEnd(model, step);

    public void OnEpochEnd(EpochResult epoch) => Current?.OnEpochEnd(epoch);
}
