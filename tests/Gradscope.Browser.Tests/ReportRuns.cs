using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;

namespace Gradscope.Browser.Tests;

/// <summary>Two real runs for the report: a deep sigmoid network whose gradient vanishes, and a healthy ReLU + He one.</summary>
internal static class ReportRuns
{
    private static readonly Lazy<RunRecord[]> Runs = new(() => [Train("sigmoid + standard init", "sigmoid", "standard"), Train("ReLU + He init", "relu", "he-normal")]);

    public static IReadOnlyList<RunRecord> VanishingAndHealthy => Runs.Value;

    private static RunRecord Train(string name, string activation, string init)
    {
        var config = RunSpecs.Dense("spiral", [32, 32, 32, 32, 32, 32, 32, 32, 32, 32], Activation.Parse(activation), Initializer.Parse(init)) with
        {
            Budget = new BudgetSpec { Epochs = 10 },
        };
        var result = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Standard));
        var last = result.Training.Final!;
        return new RunRecord
        {
            Id = name.Replace(' ', '-'),
            Name = name,
            Spec = config,
            Data = new DataIdentity("spiral"),
            Status = RunStatus.Completed,
            Trace = result.Trace,
            Findings = result.Report.Findings,
            Final = new RunMetrics(last.TrainLoss, last.TrainAccuracy, last.TestAccuracy),
        };
    }
}
