using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Gradscope.Data;

/// <summary>
/// A labelled classification data set held in memory: <see cref="Count"/> rows of
/// <see cref="FeatureCount"/> features (row-major, in double) and one class label per row.
/// Immutable by convention: the methods return new data sets and never change this one.
/// </summary>
public sealed class Dataset
{
    private readonly StepLabels? _stepLabels;

    /// <summary>
    /// Creates a data set that takes ownership of <paramref name="features"/> and
    /// <paramref name="labels"/> (not copied).
    /// </summary>
    /// <param name="name">Shown in reports, e.g. <c>spiral</c> or a CSV file's name.</param>
    /// <param name="features">Row-major <c>[labels.Length, featureCount]</c>; every value finite.</param>
    /// <param name="labels">One class index per row, in <c>[0, classCount)</c>.</param>
    /// <param name="featureCount">Features per row, at least 1.</param>
    /// <param name="classCount">Number of classes, at least 1.</param>
    /// <param name="featureNames">One name per feature; <c>x0, x1, ...</c> when null.</param>
    /// <param name="classNames">One name per class; <c>0, 1, ...</c> when null.</param>
    /// <exception cref="GradscopeException">A length does not match, a label is out of range or a feature is NaN or infinite.</exception>
    public Dataset(
        string name,
        double[] features,
        int[] labels,
        int featureCount,
        int classCount,
        IReadOnlyList<string>? featureNames = null,
        IReadOnlyList<string>? classNames = null)
    {
        Name = name;
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
        FeatureNames = featureNames ?? NumberedNames("x", featureCount);
        ClassNames = classNames ?? NumberedNames(string.Empty, classCount);
        DatasetValidation.Validate(this);
    }

    /// <summary>Name shown in reports.</summary>
    public string Name { get; }

    /// <summary>
    /// For sequences: each row is <see cref="SequenceShape.Steps"/> steps of
    /// <see cref="SequenceShape.Features"/> features, time-major (a <c>[N, T, F]</c> array); null for flat rows.
    /// </summary>
    public SequenceShape? Sequence { get; init; }

    /// <summary>
    /// For a regression task: the real targets per row (then every label is 0 and there is one
    /// class, which no loss reads); null for classification.
    /// </summary>
    public RegressionTargets? Regression { get; init; }

    /// <summary>
    /// For a training set drawn from a generator that never runs out (the built-in sequence tasks):
    /// what refills its rows in place at each epoch start, and draws its fixed held-out set (see
    /// <see cref="Split"/>). Null for fixed rows. A subset or a copy of the set has fixed rows.
    /// </summary>
    public IEpochRefill? EpochRefill { get; init; }

    /// <summary>
    /// For a many-to-many sequence task: a class label per row and step, which training and
    /// evaluation read instead of <see cref="Labels"/> (then every row label is 0); null otherwise.
    /// </summary>
    /// <exception cref="GradscopeException">The labels do not fit the rows, the sequence shape or the classes.</exception>
    public StepLabels? StepLabels
    {
        get => _stepLabels;
        init
        {
            if (value is not null)
                DatasetValidation.CheckStepLabels(this, value);
            _stepLabels = value;
        }
    }

    /// <summary>Row-major features, <c>[Count, FeatureCount]</c>.</summary>
    public double[] Features { get; }

    /// <summary>Class index of each row, in <c>[0, ClassCount)</c>.</summary>
    public int[] Labels { get; }

    /// <summary>Number of rows (examples).</summary>
    public int Count => Labels.Length;

    /// <summary>Number of features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes; some may have no rows (e.g. in a small subset).</summary>
    public int ClassCount { get; }

    /// <summary>Display name of each class, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Display name of each feature column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> Row(int row) => Features.AsSpan(row * FeatureCount, FeatureCount);

    /// <summary>Number of rows of each class, indexed by label.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassCount];
        foreach (int label in Labels)
            counts[label]++;
        return counts;
    }

    /// <summary>A new data set with the rows at <paramref name="indices"/>, in that order (repeats allowed).</summary>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        var features = new double[indices.Length * FeatureCount];
        var labels = new int[indices.Length];
        CopyRows<double>(indices, features);
        CopyLabels(indices, labels);
        return new Dataset(Name, features, labels, FeatureCount, ClassCount, FeatureNames, ClassNames)
        {
            Sequence = Sequence,
            Regression = Regression?.Subset(indices),
            StepLabels = StepLabels?.Subset(indices),
        };
    }

    /// <summary>
    /// Splits the rows at random (seeded shuffle, not stratified) into a training and a test set.
    /// The test set gets <c>round(Count * testFraction)</c> rows (halves round up), at least 1 and at most
    /// <c>Count - 1</c> when <c>Count &gt;= 2</c>, so neither side is empty.
    /// </summary>
    /// <remarks>
    /// A set with fresh rows every epoch (<see cref="EpochRefill"/>) is not carved up: the training
    /// set is this one, all its rows each epoch, and the test set is that many rows drawn once from
    /// the generator's own held-out seed (<see cref="IEpochRefill.DrawHeldOut"/>).
    /// </remarks>
    /// <param name="testFraction">Share of rows for the test set, strictly between 0 and 1.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    public (Dataset Train, Dataset Test) Split(double testFraction, int seed)
    {
        int[] order = SplitOrder(Count, testFraction, seed, out int testCount);
        if (EpochRefill is { } refill)
            return (this, refill.DrawHeldOut(Math.Max(testCount, 1)));
        var test = Subset(order.AsSpan(0, testCount));
        var train = Subset(order.AsSpan(testCount));
        return (train, test);
    }

    /// <summary>
    /// The seeded shuffle of <c>0..count-1</c> that <see cref="Split"/> uses, and how many of its first
    /// entries go to the test set; shared with the sequence data sets so both split alike.
    /// </summary>
    internal static int[] SplitOrder(int count, double testFraction, int seed, out int testCount)
    {
        if (!(testFraction > 0.0 && testFraction < 1.0))
            throw new GradscopeException($"The test fraction must be between 0 and 1 (exclusive), got {testFraction}.");

        var order = new int[count];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        new SeededRandom(seed).Shuffle(order.AsSpan());

        testCount = (int)Math.Round(count * testFraction, MidpointRounding.AwayFromZero);
        testCount = count < 2 ? 0 : Math.Clamp(testCount, 1, count - 1);
        return order;
    }

    /// <summary>Fits per-feature mean and standard deviation on this data set.</summary>
    public Standardizer FitStandardizer() => Standardizer.Fit(this);

    /// <summary>
    /// Copies the features of the rows at <paramref name="indices"/> into
    /// <paramref name="destination"/> (row-major, <c>[indices.Length, FeatureCount]</c>),
    /// converting to <typeparamref name="T"/>. Allocates nothing: meant for every training step.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than <c>indices.Length * FeatureCount</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <c>[0, Count)</c>.</exception>
    public void CopyRows<T>(ReadOnlySpan<int> indices, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = FeatureCount;
        if (destination.Length < indices.Length * width)
            ThrowDestinationTooShort(destination.Length, indices.Length * width, nameof(destination));

        ReadOnlySpan<double> source = Features;
        for (int i = 0; i < indices.Length; i++)
        {
            int row = indices[i];
            if ((uint)row >= (uint)Count)
                ThrowRowOutOfRange(row, Count, nameof(indices));
            ReadOnlySpan<double> from = source.Slice(row * width, width);
            Span<T> to = destination.Slice(i * width, width);

            // The JIT folds this test per T: double copies straight, float narrows with SIMD.
            if (typeof(T) == typeof(double))
                from.CopyTo(MemoryMarshal.Cast<T, double>(to));
            else
                TensorPrimitives.ConvertTruncating(from, to);
        }
    }

    /// <summary>Copies the labels of the rows at <paramref name="indices"/> into <paramref name="destination"/>. Allocates nothing.</summary>
    public void CopyLabels(ReadOnlySpan<int> indices, Span<int> destination)
    {
        if (destination.Length < indices.Length)
            ThrowDestinationTooShort(destination.Length, indices.Length, nameof(destination));
        for (int i = 0; i < indices.Length; i++)
        {
            int row = indices[i];
            if ((uint)row >= (uint)Count)
                ThrowRowOutOfRange(row, Count, nameof(indices));
            destination[i] = Labels[row];
        }
    }

    internal static string[] NumberedNames(string prefix, int count)
    {
        var names = new string[Math.Max(count, 0)];
        for (int i = 0; i < names.Length; i++)
            names[i] = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return names;
    }

    private static void ThrowDestinationTooShort(int length, int needed, string paramName) =>
        throw new ArgumentException($"Destination holds {length} elements; {needed} are needed.", paramName);

    private static void ThrowRowOutOfRange(int row, int count, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, row, $"Row index must be in [0, {count}).");
}
