namespace Gradscope.Data;

/// <summary>
/// A training set drawn from a generator that never runs out (the built-in sequence tasks): at the
/// start of each epoch <see cref="Training.Trainer{T}"/> asks it for that epoch's rows, which
/// overwrite the data set's arrays in place (same count, same shape, nothing allocated per step).
/// Epoch e's rows come from a seed derived from the run's seed and e, so a run stays reproducible
/// from its seed; the held-out set is drawn once, from a seed of its own.
/// </summary>
public interface IEpochRefill
{
    /// <summary>
    /// Overwrites the data set's features, labels and regression targets with epoch
    /// <paramref name="epoch"/>'s draw; does nothing when they already hold it.
    /// </summary>
    void Refill(int epoch);

    /// <summary>
    /// A fixed held-out set of <paramref name="count"/> rows from the same generator, drawn from its
    /// own derived seed (never one of the epochs' seeds), as the generator writes them (not standardized).
    /// </summary>
    Dataset DrawHeldOut(int count);
}
