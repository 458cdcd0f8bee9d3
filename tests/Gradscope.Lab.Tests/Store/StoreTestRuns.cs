using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Lab.Tests.Store;

/// <summary>Small real runs for the store's tests.</summary>
internal static class StoreTestRuns
{
    public static TestFlags Config(string activation = "sigmoid", int epochs = 2) => new()
    {
        Data = "spiral",
        Hidden = [8, 8, 8],
        Activation = activation,
        Epochs = epochs,
        BatchSize = 32,
        Seed = 3,
    };

    public static string TempStore() => Path.Combine(Directory.CreateTempSubdirectory("gradscope-store-test-").FullName, "gradscope.db");

    public static RunRecord Header(RunSpec config, Trace trace, string? name = null, params string[] tags) => new()
    {
        Id = Ulid.New(),
        Name = name,
        Tags = tags,
        Kind = "train",
        Spec = config,
        Data = new DataIdentity(config.Data.Source),
        Status = RunStatus.Running,
        Started = DateTimeOffset.UtcNow,
        Trace = trace,
    };

    /// <summary>Trains <paramref name="config"/> under the monitor (standard: histograms too) and returns the finished record.</summary>
    public static RunRecord Finished(RunSpec config, string? name = null, params string[] tags)
    {
        var result = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Standard));
        var final = result.Training.Final!;
        return Header(config, result.Trace, name, tags) with
        {
            Status = RunStatus.Completed,
            Ended = DateTimeOffset.UtcNow,
            Findings = result.Report.Findings,
            Final = new RunMetrics(final.TrainLoss, final.TrainAccuracy, final.TestAccuracy),
        };
    }

    public static void AssertSameTrace(Trace expected, Trace actual)
    {
        Assert.Equal(expected.StepCount, actual.StepCount);
        Assert.Equal(expected.LayerNames, actual.LayerNames);
        for (int s = 0; s < expected.StepCount; s++)
        {
            Assert.Equal(expected.StepNumber(s), actual.StepNumber(s));
            Assert.Equal(expected.Loss(s), actual.Loss(s));
            Assert.Equal(expected.LearningRate(s), actual.LearningRate(s));
            Assert.Equal(expected.WallSeconds(s), actual.WallSeconds(s));
            for (int stat = 0; stat < LayerStatNames.Count; stat++)
                Assert.Equal(expected.AtStep((LayerStat)stat, s).ToArray(), actual.AtStep((LayerStat)stat, s).ToArray());
        }

        Assert.Equal(expected.Histograms.Count, actual.Histograms.Count);
        for (int i = 0; i < expected.Histograms.Count; i++)
        {
            Assert.Equal(expected.Histograms[i].Step, actual.Histograms[i].Step);
            Assert.Equal(expected.Histograms[i].Layer, actual.Histograms[i].Layer);
            Assert.Equal(expected.Histograms[i].Kind, actual.Histograms[i].Kind);
            Assert.Equal(expected.Histograms[i].Counts, actual.Histograms[i].Counts);
        }

        Assert.Equal(expected.Epochs, actual.Epochs);
    }
}
