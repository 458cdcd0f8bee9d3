using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Server.Tests;

/// <summary>Runs written straight into a store (no training): deterministic numbers the tests can check.</summary>
internal static class TestRuns
{
    public static string TempStore() => Path.Combine(Directory.CreateTempSubdirectory("gradscope-server-test-").FullName, "gradscope.db");

    public static RunSpec Config() => new RunFlags { Data = "spiral", Hidden = [8, 8], Activation = "tanh", Epochs = 1, BatchSize = 32, Seed = 3 }.ToSpec();

    /// <summary>The value of statistic <paramref name="stat"/> of layer <paramref name="layer"/> at step <paramref name="step"/>: smooth, with a spike at every 997th step.</summary>
    public static double Value(int stat, int layer, int step) =>
        (stat + 1) * 1e-3 * (layer + 1) * (1.5 + Math.Sin((step * 0.013) + layer)) * (step % 997 == 500 ? 40 : 1);

    public static Trace Trace(int layers, int steps, int histogramsEvery = 0)
    {
        var names = Enumerable.Range(0, layers).Select(l => $"layers.{l}").ToArray();
        var widths = Enumerable.Repeat(8, layers).ToArray();
        var trace = new Trace(names, widths, widths, "tanh", Math.Max(1, steps));
        var values = new double[LayerStatNames.Count * layers];
        for (int s = 0; s < steps; s++)
        {
            for (int stat = 0; stat < LayerStatNames.Count; stat++)
            {
                for (int l = 0; l < layers; l++)
                    values[(stat * layers) + l] = Value(stat, l, s);
            }

            trace.AppendStep(s, 2.0 / (1 + (s * 0.01)), 0.01, s * 0.001, values);
            if (histogramsEvery > 0 && s % histogramsEvery == 0)
            {
                for (int l = 0; l < layers; l++)
                {
                    trace.Histograms.Add(new HistogramRecord(s, l, HistogramKind.Gradient, Enumerable.Range(0, Histograms.GradientBins).Select(i => i == 290 ? s + 1 : 0).ToArray()));
                    trace.Histograms.Add(new HistogramRecord(s, l, HistogramKind.Activation, Enumerable.Range(0, Histograms.ActivationBins + 2).Select(i => i + l).ToArray()));
                }
            }
        }

        return trace;
    }

    public static RunRecord Record(Trace trace, RunStatus status = RunStatus.Completed, string? name = null, params string[] tags) => new()
    {
        Id = Ulid.New(),
        Name = name,
        Tags = tags,
        Kind = "train",
        Spec = Config(),
        Data = new DataIdentity("spiral"),
        Status = status,
        Started = DateTimeOffset.UtcNow,
        Ended = status == RunStatus.Running ? null : DateTimeOffset.UtcNow,
        Trace = trace,
        Final = new RunMetrics(0.25, 0.9, double.NaN),
    };

    /// <summary>Saves a finished run of <paramref name="layers"/> x <paramref name="steps"/> and returns its id.</summary>
    public static string Save(string store, int layers = 3, int steps = 50, string? name = null, int histogramsEvery = 10, params string[] tags)
    {
        var record = Record(Trace(layers, steps, histogramsEvery), RunStatus.Completed, name, tags);
        using var opened = RunStore.Open(store);
        opened.Save(record);
        return record.Id;
    }
}
