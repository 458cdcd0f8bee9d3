using Gradscope.Tensors;

namespace Gradscope.Training;

/// <summary>
/// Which threads a computation may use. By default a large matrix product or optimizer update is
/// shared with the process's worker threads, and a trainer splits batches over two cores. Code that
/// runs many trainings side by side (a sweep's trials) wants each on its own thread alone: no
/// contention for the one set of shared workers, and a result that depends only on the run, never
/// on what else runs at the time.
/// </summary>
public static class ComputeThreads
{
    // Apart from GemmWorkers.SerialOnly, which alone still lets a trainer split its batch (the halves then run in turn).
    [ThreadStatic]
    private static bool _singleThreaded;

    /// <summary>True inside <see cref="SingleThreaded"/> on the calling thread.</summary>
    public static bool IsSingleThreaded => _singleThreaded;

    /// <summary>
    /// Until the returned scope is disposed, work started on the calling thread runs on it alone:
    /// products and updates use no worker threads, and a <see cref="Trainer{T}"/> created meanwhile
    /// does not split batches (as with <see cref="TrainerOptions.SplitBatch"/> false). Scopes nest;
    /// disposing restores the previous setting. Other threads are not affected.
    /// </summary>
    public static SingleThreadScope SingleThreaded()
    {
        var scope = new SingleThreadScope(_singleThreaded, GemmWorkers.SerialOnly);
        Set(true, true);
        return scope;
    }

    internal static void Set(bool singleThreaded, bool serialOnly)
    {
        _singleThreaded = singleThreaded;
        GemmWorkers.SerialOnly = serialOnly;
    }
}

/// <summary>The scope of <see cref="ComputeThreads.SingleThreaded"/>: disposing it restores the thread's previous setting.</summary>
public readonly struct SingleThreadScope : IDisposable, IEquatable<SingleThreadScope>
{
    private readonly bool _previous;
    private readonly bool _previousSerial;

    internal SingleThreadScope(bool previous, bool previousSerial) => (_previous, _previousSerial) = (previous, previousSerial);

    /// <inheritdoc/>
    public void Dispose() => ComputeThreads.Set(_previous, _previousSerial);

    /// <inheritdoc/>
    public bool Equals(SingleThreadScope other) => _previous == other._previous && _previousSerial == other._previousSerial;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SingleThreadScope other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_previous, _previousSerial);

    /// <summary>Equality of two scopes (by the setting they restore).</summary>
    public static bool operator ==(SingleThreadScope left, SingleThreadScope right) => left.Equals(right);

    /// <summary>Inequality of two scopes.</summary>
    public static bool operator !=(SingleThreadScope left, SingleThreadScope right) => !left.Equals(right);
}
