using Gradscope.Diagnostics;

namespace Gradscope.Lab.Runs;

/// <summary>Where a run is in its life. Stored and printed in lower case (<c>running</c>, ...).</summary>
public enum RunStatus
{
    /// <summary>Described, waiting for a worker.</summary>
    Queued,

    /// <summary>Training now (or its process died without saying so: see the store's liveness check).</summary>
    Running,

    /// <summary>Finished its budget.</summary>
    Completed,

    /// <summary>Stopped by an error (bad data, out of memory, ...); the record keeps the message.</summary>
    Failed,

    /// <summary>Stopped by a signal or by its process disappearing.</summary>
    Interrupted,

    /// <summary>Stopped because the loss or a gradient became NaN or infinite.</summary>
    Diverged,
}

/// <summary>
/// What data a run trained on: a built-in set's name, or a file's path with its size and SHA-256,
/// so a stored run says whether the file it names is still the file it used.
/// </summary>
/// <param name="Name">The built-in set or the file name as given (<c>spiral</c>, <c>train.csv</c>).</param>
/// <param name="Path">Full path of a data file; null for built-in sets.</param>
/// <param name="Size">Bytes of the data file; null for built-in sets.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the data file; null for built-in sets.</param>
public sealed record DataIdentity(string Name, string? Path = null, long? Size = null, string? Sha256 = null);

/// <summary>A run's final numbers; NaN where not measured (no test split, no accuracy for regression).</summary>
public sealed record RunMetrics(double Loss, double TrainAccuracy, double TestAccuracy)
{
    /// <summary>Nothing measured yet.</summary>
    public static RunMetrics None { get; } = new(double.NaN, double.NaN, double.NaN);
}

/// <summary>
/// One recorded run as the run store, trace files (format v2), exports and reports exchange it:
/// identity and labels, the re-runnable description, the data it used, its life, everything the
/// gradient monitor recorded (<see cref="Trace"/>: per-step loss, learning rate, wall time, every
/// per-layer statistic, histograms, epochs), its findings and final numbers.
/// </summary>
public sealed record RunRecord
{
    /// <summary>Globally unique id (a ULID string, 26 characters of Crockford base 32).</summary>
    public required string Id { get; init; }

    /// <summary>Free-form name given with <c>--name</c>; null when none.</summary>
    public string? Name { get; init; }

    /// <summary>Labels given with <c>--tag</c> (and <c>sweep:NAME</c> for sweep trials).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The run that started this one (a diagnosis for its fix trials); null for a top-level run.</summary>
    public string? ParentId { get; init; }

    /// <summary>The command that recorded it: <c>train</c>, <c>diagnose</c>, <c>fix-trial</c>, <c>demo</c>, <c>experiment</c>, <c>torch</c>.</summary>
    public string Kind { get; init; } = "train";

    /// <summary>The re-runnable description; null for runs Gradscope did not train (a PyTorch trace).</summary>
    public RunSpec? Spec { get; init; }

    /// <summary>The data it trained on.</summary>
    public DataIdentity? Data { get; init; }

    /// <summary>Where the run is in its life.</summary>
    public RunStatus Status { get; init; }

    /// <summary>The message of a failed run; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>When it started (UTC).</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>When it ended (UTC); null while it runs.</summary>
    public DateTimeOffset? Ended { get; init; }

    /// <summary>Gradscope's version and commit that ran it (<c>0.4.0+1a2b3c4</c>).</summary>
    public string? Version { get; init; }

    /// <summary>The machine that ran it.</summary>
    public string? Host { get; init; }

    /// <summary>Everything the monitor recorded; empty (no steps) for a queued run.</summary>
    public required Trace Trace { get; init; }

    /// <summary>Per layer (trace order): its kind (<c>dense</c>, <c>lstm</c>, ...) and activation, for headers and reports.</summary>
    public IReadOnlyList<RecordedLayer> Layers { get; init; } = [];

    /// <summary>What the diagnosis found, with evidence and thresholds.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>Final loss and accuracies.</summary>
    public RunMetrics Final { get; init; } = RunMetrics.None;

    /// <summary>The framework that trained the run when Gradscope did not (a PyTorch trace's header); null for Gradscope's own runs.</summary>
    public FrameworkInfo? Framework { get; init; }
}

/// <summary>One watched layer of a recorded run, in trace order.</summary>
/// <param name="Layer">Its identity: number from 1 along the main path and module path.</param>
/// <param name="Kind">The layer kind (<c>dense</c>, <c>lstm</c>, <c>gru</c>, <c>rnn</c>).</param>
/// <param name="Activation">The activation after it (<c>tanh</c>, <c>relu</c>, <c>identity</c> for the head).</param>
/// <param name="Inputs">Fan-in.</param>
/// <param name="Units">Fan-out.</param>
public sealed record RecordedLayer(LayerRef Layer, string Kind, string Activation, int Inputs, int Units)
{
    /// <summary>The framework's class of the layer (<c>Linear</c>, <c>Conv2d</c>, <c>LSTM</c>); null for Gradscope's own layers.</summary>
    public string? ModuleKind { get; init; }

    /// <summary>Module path of the activation module after the layer; null when there is none (a functional activation) or for Gradscope's own layers.</summary>
    public string? ActivationModule { get; init; }

    /// <summary>The weights' statistics when recording began; null when the trace does not say.</summary>
    public LayerInit? Init { get; init; }
}
