namespace Gradscope.Tensors;

/// <summary>
/// The meeting point of the parts of one parallel job (a shared matrix product, the two halves of
/// a batch): each waits, spinning and then yielding, until all have arrived. A part that fails
/// aborts it, so the others leave with an exception instead of waiting forever. Reused job after
/// job, so waiting allocates nothing.
/// </summary>
internal sealed class SpinBarrier
{
    private int _arrived;
    private int _generation;
    private volatile bool _aborted;

    /// <summary>Readies the barrier for a new job, before any part starts.</summary>
    public void Reset() => (_arrived, _aborted) = (0, false);

    /// <summary>Releases every part waiting now or later with <see cref="Wait"/>'s exception.</summary>
    public void Abort() => _aborted = true;

    /// <summary>Waits until <paramref name="parts"/> parts have arrived; throws with <paramref name="failure"/> when another part aborted.</summary>
    public void Wait(int parts, string failure)
    {
        int generation = Volatile.Read(ref _generation);
        if (Interlocked.Increment(ref _arrived) == parts)
        {
            // The count is reset before the generation moves on, so a part that hurries on to the
            // next barrier counts there.
            Volatile.Write(ref _arrived, 0);
            Interlocked.Increment(ref _generation);
            return;
        }

        var spinner = default(SpinWait);
        while (Volatile.Read(ref _generation) == generation)
        {
            if (_aborted)
                throw new InvalidOperationException(failure);
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }
}
