using System.Diagnostics;
using Gradscope.Data;
using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Tests.Live;

/// <summary>Small run descriptions for the run host's tests, and a wait with a deadline.</summary>
internal static class HostedSpecs
{
    /// <summary>A spiral run of <paramref name="epochs"/> epochs (300 points, batch 16: 15 steps an epoch).</summary>
    public static RunSpec Spiral(int epochs, string activation = "tanh", string init = "glorot-uniform", IReadOnlyList<int>? hidden = null, string optimizer = "adam", double learningRate = 0.01) =>
        new TestFlags
        {
            Data = "spiral",
            DataOptions = new DataOptions { Count = 300 },
            Hidden = hidden ?? [8, 8],
            Activation = activation,
            Init = init,
            Optimizer = optimizer,
            LearningRate = learningRate,
            Epochs = epochs,
            BatchSize = 16,
            Seed = 3,
        }.ToSpec();

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test after <paramref name="seconds"/>.</summary>
    public static void WaitUntil(Func<bool> condition, string what, double seconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed.TotalSeconds < seconds, $"timed out after {seconds} s waiting until {what}");
            Thread.Sleep(10);
        }
    }

    /// <summary>Waits for a hosted run to end and returns its final status.</summary>
    public static string WaitForEnd(RunHost host, string id, double seconds = 30)
    {
        WaitUntil(() => host.State(id)!.Status is not ("running" or "paused"), $"run {id} ends", seconds);
        return host.State(id)!.Status;
    }
}
