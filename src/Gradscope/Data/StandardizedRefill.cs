namespace Gradscope.Data;

/// <summary>
/// The fresh rows of a standardized training set: each epoch's raw draw lands in the raw set's arrays
/// and is standardized into the standardized set's, with the statistics fitted on the first draw
/// (a later draw is not refitted, so every epoch sees the inputs on the same scale).
/// </summary>
internal sealed class StandardizedRefill(IEpochRefill raw, Dataset rawSet, Standardizer standardizer, double[] features, int[] labels) : IEpochRefill
{
    public void Refill(int epoch)
    {
        raw.Refill(epoch);
        standardizer.ApplyInto(rawSet, features);
        rawSet.Labels.CopyTo(labels, 0);
    }

    // Raw, like any test set: the caller standardizes it with the training set's statistics.
    public Dataset DrawHeldOut(int count) => raw.DrawHeldOut(count);
}
