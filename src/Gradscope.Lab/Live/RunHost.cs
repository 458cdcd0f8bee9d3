using System.Collections.Concurrent;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Serialization;

namespace Gradscope.Lab.Live;

/// <summary>
/// The run host of one process (the dashboard server): each run trains on a thread of its own,
/// single-threaded, recorded live into the store at <c>storePath</c> (kind and tag <c>serve</c>),
/// and can be paused, single-stepped, resumed and stopped. Views of a planar run's network
/// (boundary, squashing, sensitivity) come from the live model at a step boundary, or from the
/// model the store keeps once a run has ended. Run ids are full ids (resolve prefixes first).
/// </summary>
public sealed class RunHost : IRunHost
{
    // How long a view waits for a running run to reach its next step boundary.
    private static readonly TimeSpan SnapshotWait = TimeSpan.FromSeconds(10);

    private readonly string _storePath;
    private readonly ConcurrentDictionary<string, HostedRun> _runs = new();
    private readonly ConcurrentDictionary<string, PlaneSample> _samples = new();
    private readonly object _sync = new();
    private readonly TimeSpan _pausedLimit;
    private int _active;
    private bool _disposed;

    /// <summary>
    /// A host recording into the store at <paramref name="storePath"/>, training at most
    /// <paramref name="capacity"/> runs at once (default: the machine's cores). A run held paused for
    /// longer than <paramref name="pausedLimit"/> (default <see cref="DefaultPausedLimit"/>) is
    /// stopped and stored as interrupted, so a forgotten paused run does not keep its slot.
    /// </summary>
    public RunHost(string storePath, int? capacity = null, TimeSpan? pausedLimit = null)
    {
        ArgumentNullException.ThrowIfNull(storePath);
        if (capacity is < 1)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A run host needs room for at least one run.");
        _storePath = storePath;
        Capacity = capacity ?? Environment.ProcessorCount;
        _pausedLimit = pausedLimit ?? DefaultPausedLimit;
    }

    /// <summary>How long a run may stay paused before the host stops it.</summary>
    public static readonly TimeSpan DefaultPausedLimit = TimeSpan.FromMinutes(10);

    /// <summary>The smallest and largest grid side the views accept.</summary>
    public const int MinGrid = 2, MaxGrid = 200;

    /// <inheritdoc/>
    public int Capacity { get; }

    /// <inheritdoc/>
    public int Active => Volatile.Read(ref _active);

    /// <inheritdoc/>
    public string Start(RunSpec spec, HostedRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_active >= Capacity)
                throw new RunHostFullException(Capacity);
            _active++;
        }

        HostedRun run = spec.DType == NumberType.Float64
            ? new HostedRun<double>(_storePath, spec, options, Ended, _pausedLimit)
            : new HostedRun<float>(_storePath, spec, options, Ended, _pausedLimit);
        try
        {
            run.Start();
        }
        catch
        {
            run.Join();
            run.Dispose();
            throw;
        }

        _runs[run.Id] = run;
        lock (_sync)
        {
            // Disposed while it was preparing: it ends like every other run.
            if (_disposed)
                run.Stop();
        }

        return run.Id;
    }

    /// <inheritdoc/>
    public ControlOutcome Control(string runId, RunControl command)
    {
        if (!_runs.TryGetValue(runId, out var run))
            return ControlOutcome.NotHosted;
        if (run.Final is not null)
            return ControlOutcome.Ended;
        switch (command)
        {
            case RunControl.Stop:
                run.Stop();
                break;
            case RunControl.Pause:
                run.Gate.Pause();
                break;
            case RunControl.Resume:
                run.Gate.Resume();
                break;
            case RunControl.Step:
                run.Gate.Step();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown run control.");
        }

        return ControlOutcome.Applied;
    }

    /// <inheritdoc/>
    public HostedRunState? State(string runId)
    {
        if (!_runs.TryGetValue(runId, out var run))
            return null;
        string status = run.Final is { } final ? RunStore.StatusName(final) : run.Gate.Paused ? "paused" : "running";
        return new HostedRunState(run.Id, status, run.Steps, run.TotalSteps);
    }

    /// <inheritdoc/>
    public string StartRemedy(string runId, string remedyId, HostedRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var spec = StoredSpec(runId) ?? throw new GradscopeException(
            $"Run {runId} was imported (from a trace or another tool) and has no run description: there is nothing to apply the remedy '{remedyId}' to.");
        var remedied = RemedySpecs.Apply(spec, remedyId);
        var tags = new List<string>(options.Tags ?? []) { remedyId };
        return Start(remedied, options with { Name = options.Name ?? $"{remedyId} of {runId}", Tags = tags, ParentId = runId });
    }

    /// <inheritdoc/>
    /// <exception cref="GradscopeException"><paramref name="grid"/> is outside [<see cref="MinGrid"/>, <see cref="MaxGrid"/>].</exception>
    public DecisionBoundary? Boundary(string runId, int grid)
    {
        CheckGrid(grid);
        return View(runId, (model, sample, step) => PlaneViews.Boundary(model, sample, grid, step));
    }

    /// <inheritdoc/>
    /// <exception cref="GradscopeException"><paramref name="grid"/> is outside [<see cref="MinGrid"/>, <see cref="MaxGrid"/>].</exception>
    public SquashingView? Squashing(string runId, int grid)
    {
        CheckGrid(grid);
        return View(runId, (model, sample, step) => PlaneViews.Squashing(model, sample, grid, step));
    }

    /// <inheritdoc/>
    /// <exception cref="GradscopeException"><paramref name="epsilon"/> is not in (0, 10], or <paramref name="layer"/> is not one of the network's dense layers (1-based, as the trace numbers them).</exception>
    public LayerSensitivity? Sensitivity(string runId, int layer, double epsilon)
    {
        if (!(epsilon > 0 && epsilon <= 10))
            throw new GradscopeException($"epsilon must be a relative perturbation in (0, 10]; got {epsilon}.");
        return View(runId, (model, sample, _) => PlaneViews.Sensitivity(model, sample, layer, epsilon));
    }

    /// <summary>Stops every run (stored as interrupted) and waits for them to end.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed)
                return;
            _disposed = true;
        }

        foreach (var run in _runs.Values)
            run.Stop();
        foreach (var run in _runs.Values)
        {
            run.Join();
            run.Dispose();
        }
    }

    private void Ended(HostedRun run) => Interlocked.Decrement(ref _active);

    private static void CheckGrid(int grid)
    {
        if (grid is < MinGrid or > MaxGrid)
            throw new GradscopeException($"grid must be between {MinGrid} and {MaxGrid} points a side; got {grid}.");
    }

    // The view from the model a hosted run has at its next step boundary, else the stored one.
    private T? View<T>(string runId, Func<LoadedModel<double>, PlaneSample, long, T> compute)
        where T : class
    {
        RunSpec? spec;
        ModelSnapshot? snapshot;
        if (_runs.TryGetValue(runId, out var run))
            (spec, snapshot) = (run.Spec, run.Gate.Snapshot(SnapshotWait));
        else
            (spec, snapshot) = Stored(runId);
        if (!PlanarData.Supports(spec) || snapshot is null)
            return null;
        var sample = _samples.GetOrAdd(runId, _ => PlaneSample.For(spec!));
        var model = ModelFile.Load<double>(snapshot.Model, $"the model of run {runId}");
        return compute(model, sample, snapshot.Step);
    }

    private (RunSpec? Spec, ModelSnapshot? Model) Stored(string runId)
    {
        using var store = RunStore.Open(_storePath);
        if (store.Find(runId) is not { } summary)
            return (null, null);
        if (!PlanarData.Supports(summary.Record.Spec))
            return (summary.Record.Spec, null);
        return (summary.Record.Spec, store.Model(runId) is { } model ? new ModelSnapshot(summary.Steps, model) : null);
    }

    private RunSpec? StoredSpec(string runId)
    {
        if (_runs.TryGetValue(runId, out var run))
            return run.Spec;
        using var store = RunStore.Open(_storePath);
        var summary = store.Find(runId) ?? throw new StoreException($"run store '{_storePath}' has no run '{runId}'.");
        return summary.Record.Spec;
    }
}
