namespace Gradscope.Data.Sequences;

/// <summary>
/// The rows of a sequence task's training set, redrawn in place at each epoch: epoch e's sequences
/// come from a seed derived from (run seed, e), the held-out set's from (run seed, a stream no epoch
/// uses). Works for any task <see cref="SequenceTaskData.Draw"/> writes; it keeps one batch and the
/// data set's arrays, so a refill allocates nothing but its random generator.
/// </summary>
internal sealed class FreshTaskRows : IEpochRefill
{
    // The held-out set's stream: no epoch count reaches it.
    private const int HeldOutStream = -1;

    private readonly ISequenceTask _task;
    private readonly int _seed;
    private readonly SequenceBatch<double> _batch;
    private readonly TaskArrays _arrays;
    private int _epoch;

    /// <summary>Draws epoch 0's <paramref name="samples"/> sequences into a new data set, <see cref="Rows"/>.</summary>
    public FreshTaskRows(ISequenceTask task, int samples, int seed)
    {
        _task = task;
        _seed = seed;
        _batch = new SequenceBatch<double>(task.InputSize, task.OutputSize);
        _arrays = TaskArrays.For(task, samples);
        int scoredFrom = SequenceTaskData.Draw(task, _batch, new SeededRandom(DerivedSeed(seed, 0)), _arrays);
        Rows = SequenceTaskData.Rows(task, _arrays, scoredFrom, this);
    }

    /// <summary>The training set whose arrays this refills.</summary>
    public Dataset Rows { get; }

    /// <summary>The epoch whose draw the rows hold.</summary>
    public int Epoch => _epoch;

    public void Refill(int epoch)
    {
        if (epoch == _epoch)
            return;
        SequenceTaskData.Draw(_task, _batch, new SeededRandom(DerivedSeed(_seed, epoch)), _arrays);
        _epoch = epoch;
    }

    public Dataset DrawHeldOut(int count)
    {
        if (count < 1)
            throw new GradscopeException($"A held-out set needs at least 1 sequence; got {count}.");
        var batch = new SequenceBatch<double>(_task.InputSize, _task.OutputSize);
        var arrays = TaskArrays.For(_task, count);
        int scoredFrom = SequenceTaskData.Draw(_task, batch, new SeededRandom(DerivedSeed(_seed, HeldOutStream)), arrays);
        return SequenceTaskData.Rows(_task, arrays, scoredFrom, refill: null);
    }

    /// <summary>A seed for stream <paramref name="stream"/> of run seed <paramref name="seed"/>: SplitMix64's finalizer, so nearby pairs give unrelated seeds.</summary>
    internal static int DerivedSeed(int seed, int stream)
    {
        ulong z = ((ulong)(uint)seed << 32) | (uint)stream;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
