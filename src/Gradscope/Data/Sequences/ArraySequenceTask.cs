using System.Numerics;
using Gradscope.Recurrent;

namespace Gradscope.Data.Sequences;

/// <summary>
/// A <see cref="SequenceDataset"/> served as a sequence task, so a <see cref="SequenceTrainer{T}"/>
/// trains on stored sequences as it does on the built-in generated ones. Each batch draws its
/// sequences uniformly, with replacement, from the given random stream, so the seed alone fixes
/// every batch (the task keeps no position between calls). Classification only: the labels are
/// class indices.
/// </summary>
public sealed class ArraySequenceTask : ISequenceTask
{
    private int[] _rows = [];

    /// <summary>Serves <paramref name="data"/>, which must hold at least one sequence.</summary>
    /// <exception cref="GradscopeException">The data set is empty.</exception>
    public ArraySequenceTask(SequenceDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count < 1)
            throw new GradscopeException($"Sequence data set '{data.Name}' is empty; a task needs at least one sequence.");
        Data = data;
        ChanceAccuracy = BestConstantGuess(data);
    }

    /// <summary>The sequences served.</summary>
    public SequenceDataset Data { get; }

    /// <inheritdoc/>
    public string Name => Data.Name;

    /// <inheritdoc/>
    public int InputSize => Data.FeatureCount;

    /// <inheritdoc/>
    public int OutputSize => Data.ClassCount;

    /// <inheritdoc/>
    public SequenceOutput Output => Data.Output;

    /// <inheritdoc/>
    public SequenceTarget Target => SequenceTarget.Classification;

    /// <inheritdoc/>
    public int Length => Data.Length;

    /// <inheritdoc/>
    public int MaxLength => Data.Length;

    /// <inheritdoc/>
    public double Tolerance => 0;

    /// <summary>The share of labels the best input-blind guess gets right: the most common class (per step, for many-to-many).</summary>
    public double ChanceAccuracy { get; }

    /// <inheritdoc/>
    public void Fill<T>(SequenceBatch<T> batch, int batchSize, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (_rows.Length < batchSize)
            _rows = new int[batchSize];
        for (int b = 0; b < batchSize; b++)
            _rows[b] = rng.NextInt(Data.Count);
        Data.CopyBatch<T>(_rows.AsSpan(0, batchSize), batch);
    }

    private static double BestConstantGuess(SequenceDataset data)
    {
        int steps = data.Output == SequenceOutput.ManyToOne ? 1 : data.Length;
        var counts = new int[data.ClassCount];
        long best = 0;
        for (int t = 0; t < steps; t++)
        {
            Array.Clear(counts);
            for (int n = 0; n < data.Count; n++)
                counts[data.Labels[(n * steps) + t]]++;
            best += Max(counts);
        }

        return (double)best / ((long)data.Count * steps);
    }

    private static int Max(int[] values)
    {
        int max = 0;
        foreach (int v in values)
            max = Math.Max(max, v);
        return max;
    }
}
