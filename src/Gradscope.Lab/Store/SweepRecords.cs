namespace Gradscope.Lab.Store;

/// <summary>Where a sweep's trial is in the queue. Stored in lower case (<c>queued</c>, ...).</summary>
public enum TrialState
{
    /// <summary>Not run yet.</summary>
    Queued,

    /// <summary>Claimed by a worker (<see cref="StoredTrial.Worker"/>) and training.</summary>
    Running,

    /// <summary>Ran to its end: its run completed or diverged (a divergence is a result, and runs the same again).</summary>
    Done,

    /// <summary>Its run stopped with an error; a resumed sweep runs it again.</summary>
    Failed,

    /// <summary>Stopped by Ctrl-C or its process ending; a resumed sweep runs it again.</summary>
    Interrupted,
}

/// <summary>A stored sweep with how many of its trials are in each state.</summary>
/// <param name="Name">The sweep's name.</param>
/// <param name="Definition">Its definition as sweep JSON (<see cref="Sweeps.SweepJson"/>).</param>
/// <param name="GridHash">The hash of its trial keys (<see cref="Sweeps.SweepTrial.GridHash"/>).</param>
/// <param name="Created">When it was first run (UTC).</param>
/// <param name="Updated">When its definition or a trial last changed (UTC).</param>
/// <param name="Counts">Trials per state, indexed by <see cref="TrialState"/>.</param>
public sealed record StoredSweep(string Name, string Definition, string GridHash, DateTimeOffset Created, DateTimeOffset Updated, IReadOnlyList<int> Counts)
{
    /// <summary>All its trials.</summary>
    public int Total
    {
        get
        {
            int total = 0;
            foreach (int count in Counts)
                total += count;
            return total;
        }
    }

    /// <summary>Trials in <paramref name="state"/>.</summary>
    public int Count(TrialState state) => Counts[(int)state];
}

/// <summary>One stored trial of a sweep.</summary>
/// <param name="Index">Its position in the sweep's expansion.</param>
/// <param name="Key">The hash of its run description.</param>
/// <param name="Cell">Its varying settings (<c>activation=tanh layers=2x32</c>).</param>
/// <param name="Seed">Its training seed.</param>
/// <param name="Spec">Its run description as JSON.</param>
/// <param name="State">Where it is in the queue.</param>
/// <param name="RunId">The run that recorded its last attempt; null before one.</param>
/// <param name="Attempts">How many times a worker claimed it.</param>
/// <param name="LastError">The error of its last failed attempt.</param>
/// <param name="Worker">The worker that claimed it last (<c>host pid started</c>).</param>
public sealed record StoredTrial(int Index, string Key, string Cell, int Seed, string Spec, TrialState State, string? RunId, int Attempts, string? LastError, string? Worker);
