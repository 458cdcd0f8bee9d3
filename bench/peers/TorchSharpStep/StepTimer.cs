using System.Diagnostics;
using static TorchSharp.torch;

namespace TorchSharpStep;

/// <summary>Times the training step (forward, mean softmax cross-entropy, backward, SGD) on one fixed random batch.</summary>
internal static class StepTimer
{
    public static (double Median, double Min) Measure(Configuration configuration, int steps, int warmup)
    {
        manual_seed(1);
        var model = Network.Build(configuration.Input, configuration.Hidden, configuration.Classes, configuration.Activation);
        manual_seed(2);
        var x = randn(configuration.BatchSize, configuration.Input);
        var y = randint(0, configuration.Classes, [configuration.BatchSize], dtype: int64);
        var optimizer = optim.SGD(model.parameters(), 0.01);
        var loss = nn.CrossEntropyLoss();

        for (int i = 0; i < warmup; i++)
            Step(model, optimizer, loss, x, y);
        var milliseconds = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Step(model, optimizer, loss, x, y);
            milliseconds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(milliseconds);
        int n = milliseconds.Length;
        double median = n % 2 == 1 ? milliseconds[n / 2] : (milliseconds[(n / 2) - 1] + milliseconds[n / 2]) / 2;
        return (median, milliseconds[0]);
    }

    private static void Step(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, nn.Module<Tensor, Tensor, Tensor> loss, Tensor x, Tensor y)
    {
        // The scope frees the step's intermediate tensors at once instead of leaving them to the GC.
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        using var output = model.forward(x);
        using var value = loss.forward(output, y);
        value.backward();
        optimizer.step();
    }
}
