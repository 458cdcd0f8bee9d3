using System.Security.Cryptography;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Lab.Store;

/// <summary>
/// The record of a run about to train and the pieces of its end, shared by every process that
/// records runs (the CLI's commands, the dashboard's run host).
/// </summary>
public static class RunRecords
{
    /// <summary>The record of a run about to start: a new id, the description, data identity, this version and host.</summary>
    public static RunRecord NewRecord(string kind, RunSpec spec, Trace trace, string? parentId = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new RunRecord
        {
            Id = Ulid.New(),
            Kind = kind,
            ParentId = parentId,
            Spec = spec,
            Data = Identify(spec.Data.Source),
            Status = RunStatus.Running,
            Started = DateTimeOffset.UtcNow,
            Version = RunStore.GradscopeVersion,
            Host = Environment.MachineName,
            Trace = trace,
        };
    }

    /// <summary>A built-in set by name; a file by name, full path, size and SHA-256.</summary>
    public static DataIdentity Identify(string data)
    {
        if (!File.Exists(data))
            return new DataIdentity(data);
        var info = new FileInfo(data);
        using var stream = File.OpenRead(data);
        string sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new DataIdentity(data, info.FullName, info.Length, sha);
    }

    /// <summary>The run's status from how training ended.</summary>
    public static RunStatus StatusOf(TrainingStatus status) => status switch
    {
        TrainingStatus.Diverged => RunStatus.Diverged,
        TrainingStatus.Interrupted => RunStatus.Interrupted,
        _ => RunStatus.Completed,
    };

    /// <summary>Final loss and accuracies of a training result (NaN where not measured).</summary>
    public static RunMetrics Metrics(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Final is { } final
            ? new RunMetrics(final.TrainLoss, final.TrainAccuracy, final.TestAccuracy)
            : RunMetrics.None;
    }
}
