using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Losses;
using Gradscope.Tensors;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Fixes;

/// <summary>
/// The point of the remedies: a 30-layer sigmoid network's gradient vanishes before it reaches the
/// first layer and its loss stays at ln 3 on the 3-class spiral, while the same network with
/// residual blocks or with batch normalization gets a usable gradient there and learns.
/// </summary>
public sealed class RemedyTests(ITestOutputHelper output)
{
    [Fact]
    public void DeepSigmoid_ResidualAndBatchNorm_RestoreFirstLayerGradientAndLowerTheLoss()
    {
        var data = SyntheticData.Spiral(600, 3, 0.2, seed: 1);
        var plain = Measure(data, Config());
        var residual = Measure(data, Config() with { Residual = true });
        // Batch norm's evaluation uses running statistics that lag behind a deep sigmoid network's
        // early updates; it needs a larger step and a longer budget to show in the evaluated loss.
        var batch = Measure(data, Config() with { Norm = "batch", LearningRate = 0.01, Epochs = 25 });
        output.WriteLine($"plain:    first-layer grad RMS {plain.Rms:E3}, loss after {plain.Steps} steps {plain.Loss:F4}");
        output.WriteLine($"residual: first-layer grad RMS {residual.Rms:E3}, loss after {residual.Steps} steps {residual.Loss:F4}");
        output.WriteLine($"batch:    first-layer grad RMS {batch.Rms:E3}, loss after {batch.Steps} steps {batch.Loss:F4}");

        Assert.InRange(plain.Rms, 0, 1e-15);
        Assert.True(residual.Rms > 1e10 * plain.Rms, $"residual RMS {residual.Rms:E3} vs plain {plain.Rms:E3}");
        Assert.True(batch.Rms > 1e10 * plain.Rms, $"batch-norm RMS {batch.Rms:E3} vs plain {plain.Rms:E3}");
        Assert.InRange(plain.Loss, Math.Log(3) - 0.01, Math.Log(3) + 0.02);
        Assert.True(residual.Loss < plain.Loss - 0.1, $"residual loss {residual.Loss:F4} vs plain {plain.Loss:F4}");
        Assert.True(batch.Loss < plain.Loss - 0.1, $"batch-norm loss {batch.Loss:F4} vs plain {plain.Loss:F4}");
    }

    private static TestFlags Config() => new()
    {
        Hidden = Enumerable.Repeat(32, 30).ToArray(),
        Activation = "sigmoid",
        Optimizer = "adam",
        LearningRate = 0.003,
        Epochs = 8,
        BatchSize = 64,
        TestSplit = 0,
        Seed = 1,
    };

    private static (double Rms, double Loss, int Steps) Measure(Dataset data, TestFlags config)
    {
        var run = PreparedRun<float>.Create(config, data);
        double rms = FirstLayerGradRms(run);
        var result = run.Trainer.Train(run.Train);
        return (rms, result.Final!.TrainLoss, result.Steps);
    }

    // One forward and backward pass on the first 64 rows, before any update.
    private static double FirstLayerGradRms(PreparedRun<float> run)
    {
        int rows = 64;
        var indices = Enumerable.Range(0, rows).ToArray();
        var x = new Matrix<float>(rows, run.Train.FeatureCount);
        run.Train.CopyRows<float>(indices, x.Span);
        var labels = new int[rows];
        run.Train.CopyLabels(indices, labels);
        run.Network.ZeroGrad();
        var logits = run.Network.Forward(x, training: true);
        var grad = new Matrix<float>(rows, logits.Cols);
        new SoftmaxCrossEntropy<float>().Compute(logits, labels, grad);
        run.Network.Backward(grad);
        return LayerProbe.Measure(run.Network)[0].GradRms;
    }
}
