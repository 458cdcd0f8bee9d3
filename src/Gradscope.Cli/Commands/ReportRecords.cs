using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// The <see cref="RunRecord"/> of a run this process just trained, for <c>--report</c>: its trace,
/// description, findings and final numbers. A stored run's report carries the stored id.
/// </summary>
internal static class ReportRecords
{
    public static RunRecord For(RunSpec spec, TrainingResult training, Trace trace, IReadOnlyList<Finding> findings, string kind, string name, DateTimeOffset started) => new()
    {
        Id = Ulid.New(started),
        Name = name,
        Kind = kind,
        Spec = spec,
        Data = new DataIdentity(spec.Data.Source),
        Status = training.Status switch
        {
            TrainingStatus.Diverged => RunStatus.Diverged,
            TrainingStatus.Interrupted => RunStatus.Interrupted,
            _ => RunStatus.Completed,
        },
        Error = training.Status == TrainingStatus.Diverged ? training.Message : null,
        Started = started,
        Ended = DateTimeOffset.UtcNow,
        Trace = trace,
        Findings = findings,
        Final = training.Final is { } last ? new RunMetrics(last.TrainLoss, last.TrainAccuracy, last.TestAccuracy) : RunMetrics.None,
    };
}
