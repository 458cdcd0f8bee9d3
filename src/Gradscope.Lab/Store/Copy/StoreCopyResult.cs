namespace Gradscope.Lab.Store.Copy;

/// <summary>What <see cref="StoreCopy"/> did.</summary>
public sealed record StoreCopyResult
{
    /// <summary>Runs copied, each whole, in its own transaction.</summary>
    public int RunsCopied { get; init; }

    /// <summary>Runs left alone because the target already has a run with the same id.</summary>
    public int RunsPresent { get; init; }

    /// <summary>Runs left alone because they are still running (or queued) in the source; a later copy takes them once they end.</summary>
    public IReadOnlyList<string> RunsStillRunning { get; init; } = [];

    /// <summary>Sweeps copied (definition, trials, attempts).</summary>
    public int SweepsCopied { get; init; }

    /// <summary>Sweeps the target already had by that name, brought up to date (trials and attempts that moved on in the source since).</summary>
    public int SweepsPresent { get; init; }

    /// <summary>Sweeps the target already had as they are in the source: nothing written.</summary>
    public int SweepsUpToDate { get; init; }

    /// <summary>Step rows copied.</summary>
    public long Steps { get; init; }

    /// <summary>Bytes of row data copied (BLOBs and text at their length, numbers at 8 bytes).</summary>
    public long Bytes { get; init; }

    /// <summary>How long the copy took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>True when a stop request ended the copy early: the runs copied are whole, the rest were not started.</summary>
    public bool Stopped { get; init; }

    /// <summary>Megabytes (10^6 bytes) of row data per second.</summary>
    public double MegabytesPerSecond => Elapsed.TotalSeconds > 0 ? Bytes / 1e6 / Elapsed.TotalSeconds : 0;
}
