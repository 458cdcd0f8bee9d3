namespace Gradscope.Data;

/// <summary>
/// Per-feature standardization, <c>x' = (x - mean) / std</c>, fitted on a training set and applied
/// unchanged to other sets. The standard deviation is the population one (divides by N, as
/// scikit-learn's <c>StandardScaler</c>); a constant feature gets std 1 so it maps to 0, not NaN.
/// </summary>
public sealed class Standardizer
{
    // Below this (relative to the mean's size) a feature is treated as constant: its mean, computed by
    // summing, can differ from the constant by rounding, which leaves a spurious tiny std.
    private const double ConstantThreshold = 1e-12;

    private readonly double[] _means;
    private readonly double[] _deviations;

    /// <summary>Creates a standardizer from known statistics (e.g. read back from a saved model).</summary>
    /// <param name="means">Mean of each feature.</param>
    /// <param name="deviations">Standard deviation of each feature, finite and positive.</param>
    public Standardizer(double[] means, double[] deviations)
    {
        if (means.Length != deviations.Length)
            throw new GradscopeException($"{means.Length} means but {deviations.Length} deviations; a standardizer needs one of each per feature.");
        for (int i = 0; i < deviations.Length; i++)
        {
            if (!double.IsFinite(means[i]) || !(deviations[i] > 0.0) || !double.IsFinite(deviations[i]))
                throw new GradscopeException(FormattableString.Invariant($"feature {i} has mean {means[i]} and deviation {deviations[i]}; a standardizer needs a finite mean and a positive, finite deviation."));
        }

        _means = means;
        _deviations = deviations;
    }

    /// <summary>Number of features this standardizer expects.</summary>
    public int FeatureCount => _means.Length;

    /// <summary>Mean of each feature.</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>Standard deviation of each feature (1 where the feature was constant).</summary>
    public IReadOnlyList<double> Deviations => _deviations;

    /// <summary>Returns a standardized copy of <paramref name="data"/> (same labels and names).</summary>
    /// <exception cref="GradscopeException">The feature counts differ, or a value does not stay finite (a deviation too small for the data, such as 1e-320).</exception>
    public Dataset Apply(Dataset data)
    {
        if (data.FeatureCount != FeatureCount)
            throw new GradscopeException($"Standardizer was fitted on {FeatureCount} features; data set '{data.Name}' has {data.FeatureCount}.");

        var features = new double[data.Features.Length];
        ApplyInto(data, features);
        var labels = (int[])data.Labels.Clone();
        return new Dataset(data.Name, features, labels, FeatureCount, data.ClassCount, data.FeatureNames, data.ClassNames)
        {
            Sequence = data.Sequence,
            Regression = data.Regression,
            StepLabels = data.StepLabels,
            EpochRefill = data.EpochRefill is { } refill ? new StandardizedRefill(refill, data, this, features, labels) : null,
        };
    }

    /// <summary>Writes <paramref name="data"/>'s standardized features into <paramref name="features"/> (same length); allocates nothing.</summary>
    internal void ApplyInto(Dataset data, double[] features)
    {
        int width = FeatureCount;
        for (int i = 0; i < features.Length; i++)
        {
            int col = i % width;
            features[i] = (data.Features[i] - _means[col]) / _deviations[col];
            if (!double.IsFinite(features[i]))
                throw Overflow(data, i, features[i]);
        }
    }

    private GradscopeException Overflow(Dataset data, int index, double result)
    {
        int col = index % FeatureCount;
        return new GradscopeException(FormattableString.Invariant(
            $"standardizing feature {col} ('{data.FeatureNames[col]}') with mean {_means[col]} and deviation {_deviations[col]} turns row {index / FeatureCount}'s value {data.Features[index]} into {result}; the deviation is too small for the data."));
    }

    internal static Standardizer Fit(Dataset data)
    {
        if (data.Count == 0)
            throw new GradscopeException($"Data set '{data.Name}' has no rows to fit a standardizer on.");

        int width = data.FeatureCount;
        var means = new double[width];
        var deviations = new double[width];
        for (int row = 0; row < data.Count; row++)
        {
            ReadOnlySpan<double> x = data.Row(row);
            for (int col = 0; col < width; col++)
                means[col] += x[col];
        }

        for (int col = 0; col < width; col++)
            means[col] /= data.Count;

        // Two passes (mean, then squared deviations) rather than E[x^2] - E[x]^2, which cancels badly.
        for (int row = 0; row < data.Count; row++)
        {
            ReadOnlySpan<double> x = data.Row(row);
            for (int col = 0; col < width; col++)
            {
                double d = x[col] - means[col];
                deviations[col] += d * d;
            }
        }

        for (int col = 0; col < width; col++)
        {
            double std = Math.Sqrt(deviations[col] / data.Count);
            deviations[col] = std > ConstantThreshold * Math.Max(1.0, Math.Abs(means[col])) ? std : 1.0;
        }

        return new Standardizer(means, deviations);
    }
}
