using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Gradscope.Data.Sequences;

/// <summary>
/// Labelled sequences held in memory, as read from an array data file: <see cref="Count"/>
/// sequences of <see cref="Length"/> steps of <see cref="FeatureCount"/> features
/// (<c>[N, T, F]</c>, row-major, in double) and class labels, one per sequence (many-to-one,
/// <c>[N]</c>) or one per step (many-to-many, <c>[N, T]</c>). Immutable by convention: the methods
/// return new data sets.
/// </summary>
public sealed class SequenceDataset
{
    /// <summary>Creates a data set that takes ownership of <paramref name="features"/> and <paramref name="labels"/> (not copied).</summary>
    /// <param name="name">Shown in reports, e.g. the file's name.</param>
    /// <param name="features">Row-major <c>[count, length, featureCount]</c>; every value finite.</param>
    /// <param name="labels"><c>[count]</c> for many-to-one, <c>[count, length]</c> for many-to-many; each in <c>[0, classCount)</c>.</param>
    /// <param name="length">Steps per sequence, at least 1.</param>
    /// <param name="featureCount">Features per step, at least 1.</param>
    /// <param name="classCount">Number of classes, at least 1.</param>
    /// <param name="output">Whether there is one label per sequence or one per step.</param>
    /// <exception cref="GradscopeException">A size or length does not match, a label is out of range or a feature is not finite.</exception>
    public SequenceDataset(string name, double[] features, int[] labels, int length, int featureCount, int classCount, SequenceOutput output)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        Name = name;
        Features = features;
        Labels = labels;
        Length = length;
        FeatureCount = featureCount;
        ClassCount = classCount;
        Output = output;
        Count = length < 1 ? 0 : output == SequenceOutput.ManyToOne ? labels.Length : labels.Length / length;
        Validate();
    }

    /// <summary>Name shown in reports.</summary>
    public string Name { get; }

    /// <summary>
    /// These sequences as the trainer reads them: rows of <c>[T, F]</c> with their <see cref="SequenceShape"/>,
    /// and for many-to-many a label per step (<see cref="Data.StepLabels"/>, every step scored).
    /// </summary>
    internal Dataset ToDataset()
    {
        bool perStep = Output == SequenceOutput.ManyToMany;
        return new Dataset(Name, Features, perStep ? new int[Count] : Labels, Length * FeatureCount, ClassCount)
        {
            Sequence = new SequenceShape(Length, FeatureCount),
            StepLabels = perStep ? new StepLabels(Labels, Length) : null,
        };
    }

    /// <summary>Row-major features, <c>[Count, Length, FeatureCount]</c>.</summary>
    public double[] Features { get; }

    /// <summary>Class indices: <c>[Count]</c> (many-to-one) or <c>[Count, Length]</c> (many-to-many).</summary>
    public int[] Labels { get; }

    /// <summary>Number of sequences.</summary>
    public int Count { get; }

    /// <summary>Steps per sequence (every sequence has the same length).</summary>
    public int Length { get; }

    /// <summary>Features per step.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes; some may have no labels.</summary>
    public int ClassCount { get; }

    /// <summary>One label per sequence (<see cref="SequenceOutput.ManyToOne"/>) or per step (<see cref="SequenceOutput.ManyToMany"/>).</summary>
    public SequenceOutput Output { get; }

    /// <summary>The features of sequence <paramref name="index"/>, <c>[Length, FeatureCount]</c>.</summary>
    public ReadOnlySpan<double> Sequence(int index) => Features.AsSpan(index * Length * FeatureCount, Length * FeatureCount);

    /// <summary>A new data set with the sequences at <paramref name="indices"/>, in that order (repeats allowed).</summary>
    public SequenceDataset Subset(ReadOnlySpan<int> indices)
    {
        int block = Length * FeatureCount, labelsPer = Output == SequenceOutput.ManyToOne ? 1 : Length;
        var features = new double[indices.Length * block];
        var labels = new int[indices.Length * labelsPer];
        for (int i = 0; i < indices.Length; i++)
        {
            int row = CheckedRow(indices[i]);
            Sequence(row).CopyTo(features.AsSpan(i * block, block));
            Labels.AsSpan(row * labelsPer, labelsPer).CopyTo(labels.AsSpan(i * labelsPer, labelsPer));
        }

        return new SequenceDataset(Name, features, labels, Length, FeatureCount, ClassCount, Output);
    }

    /// <summary>
    /// Splits the sequences at random into a training and a test set, exactly as
    /// <see cref="Dataset.Split"/> splits rows.
    /// </summary>
    /// <param name="testFraction">Share of sequences for the test set, strictly between 0 and 1.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    public (SequenceDataset Train, SequenceDataset Test) Split(double testFraction, int seed)
    {
        int[] order = Dataset.SplitOrder(Count, testFraction, seed, out int testCount);
        return (Subset(order.AsSpan(testCount)), Subset(order.AsSpan(0, testCount)));
    }

    /// <summary>
    /// Fills <paramref name="batch"/> with the sequences at <paramref name="indices"/>, in the shape the
    /// built-in tasks produce: inputs time-major, labels one per sequence (many-to-one) or at row
    /// <c>t * batch + b</c> (many-to-many), no regression targets, every step scored. Allocates only
    /// when the batch grows past any size seen before.
    /// </summary>
    /// <exception cref="ArgumentException">The batch has another feature count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <c>[0, Count)</c>.</exception>
    public void CopyBatch<T>(ReadOnlySpan<int> indices, SequenceBatch<T> batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Inputs.Features != FeatureCount)
            throw new ArgumentException($"The batch takes {batch.Inputs.Features} features per step; the data has {FeatureCount}.", nameof(batch));

        int size = indices.Length;
        batch.Inputs.Resize(size, Length);
        batch.Targets.Resize(0);
        batch.ScoredFromStep = 0;
        Span<int> labels = batch.ResizeLabels(Output == SequenceOutput.ManyToOne ? size : size * Length);
        for (int b = 0; b < size; b++)
        {
            int row = CheckedRow(indices[b]);
            ReadOnlySpan<double> sequence = Sequence(row);
            for (int t = 0; t < Length; t++)
                CopyStep(sequence.Slice(t * FeatureCount, FeatureCount), batch.Inputs[t].Row(b));

            if (Output == SequenceOutput.ManyToOne)
            {
                labels[b] = Labels[row];
                continue;
            }

            for (int t = 0; t < Length; t++)
                labels[(t * size) + b] = Labels[(row * Length) + t];
        }
    }

    /// <summary>Number of labels of each class, indexed by label (per step for many-to-many).</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels)
            counts[label]++;
        return counts;
    }

    private static void CopyStep<T>(ReadOnlySpan<double> from, Span<T> to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The JIT folds this test per T: double copies straight, float narrows with SIMD.
        if (typeof(T) == typeof(double))
            from.CopyTo(MemoryMarshal.Cast<T, double>(to));
        else
            TensorPrimitives.ConvertTruncating(from, to);
    }

    private int CheckedRow(int row) =>
        (uint)row < (uint)Count ? row : throw new ArgumentOutOfRangeException(nameof(row), row, $"Sequence index must be in [0, {Count}).");

    private void Validate()
    {
        string what = $"Sequence data set '{Name}'";
        if (Length < 1 || FeatureCount < 1 || ClassCount < 1)
            throw new GradscopeException($"{what}: needs at least 1 step, 1 feature and 1 class; got {Length} steps, {FeatureCount} features, {ClassCount} classes.");
        int labelsPer = Output == SequenceOutput.ManyToOne ? 1 : Length;
        if (Labels.Length != (long)Count * labelsPer || Features.Length != (long)Count * Length * FeatureCount)
        {
            throw new GradscopeException(
                $"{what}: {Count} sequences of {Length} steps and {FeatureCount} features need {(long)Count * Length * FeatureCount} values and " +
                $"{(long)Count * labelsPer} labels; got {Features.Length} and {Labels.Length}.");
        }

        for (int i = 0; i < Labels.Length; i++)
        {
            if ((uint)Labels[i] >= (uint)ClassCount)
                throw new GradscopeException($"{what}: label {i} is {Labels[i]}, outside [0, {ClassCount}) for {ClassCount} classes.");
        }

        for (int i = 0; i < Features.Length; i++)
        {
            if (!double.IsFinite(Features[i]))
                throw new GradscopeException($"{what}: sequence {i / (Length * FeatureCount)} holds {Features[i]}; features must be finite numbers.");
        }
    }
}
