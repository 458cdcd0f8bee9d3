namespace Gradscope.Data;

/// <summary>The checks a <see cref="Dataset"/> makes once, at construction, so its users never re-check.</summary>
internal static class DatasetValidation
{
    public static void Validate(Dataset data)
    {
        string name = data.Name;
        if (data.FeatureCount < 1)
            throw new GradscopeException($"Data set '{name}': needs at least one feature, got {data.FeatureCount}.");
        if (data.ClassCount < 1)
            throw new GradscopeException($"Data set '{name}': needs at least one class, got {data.ClassCount}.");
        long expected = (long)data.Count * data.FeatureCount;
        if (data.Features.Length != expected)
        {
            throw new GradscopeException(
                $"Data set '{name}': {data.Count} rows of {data.FeatureCount} features need {expected} values, got {data.Features.Length}.");
        }

        CheckNames(name, "features", "feature", data.FeatureNames.Count, data.FeatureCount);
        CheckNames(name, "classes", "class", data.ClassNames.Count, data.ClassCount);
        CheckLabels(data);
        CheckFinite(data);
    }

    private static void CheckNames(string name, string plural, string singular, int names, int expected)
    {
        if (names != expected)
            throw new GradscopeException($"Data set '{name}': {expected} {plural} but {names} {singular} names.");
    }

    private static void CheckLabels(Dataset data)
    {
        int[] labels = data.Labels;
        for (int row = 0; row < labels.Length; row++)
        {
            if ((uint)labels[row] >= (uint)data.ClassCount)
            {
                throw new GradscopeException(
                    $"Data set '{data.Name}': row {row} has label {labels[row]}, outside [0, {data.ClassCount}) for {data.ClassCount} classes.");
            }
        }
    }

    public static void CheckStepLabels(Dataset data, StepLabels steps)
    {
        if (steps.Steps < 1 || steps.ScoredFrom < 0 || steps.ScoredFrom >= steps.Steps)
            throw new GradscopeException($"Data set '{data.Name}': per-step labels need at least 1 step and a scored step among them; got {steps.Steps} steps scored from {steps.ScoredFrom}.");
        if (data.Sequence is { } sequence && sequence.Steps != steps.Steps)
            throw new GradscopeException($"Data set '{data.Name}': per-step labels for {steps.Steps} steps, but the sequences have {sequence.Steps}.");
        if (steps.Values.Length != (long)data.Count * steps.Steps)
            throw new GradscopeException($"Data set '{data.Name}': {data.Count} rows of {steps.Steps} steps need {(long)data.Count * steps.Steps} labels, got {steps.Values.Length}.");
        for (int i = 0; i < steps.Values.Length; i++)
        {
            if ((uint)steps.Values[i] >= (uint)data.ClassCount)
                throw new GradscopeException($"Data set '{data.Name}': row {i / steps.Steps}, step {i % steps.Steps} has label {steps.Values[i]}, outside [0, {data.ClassCount}).");
        }
    }

    private static void CheckFinite(Dataset data)
    {
        double[] features = data.Features;
        for (int i = 0; i < features.Length; i++)
        {
            if (!double.IsFinite(features[i]))
            {
                int row = i / data.FeatureCount;
                int col = i % data.FeatureCount;
                string what = double.IsNaN(features[i]) ? "NaN" : features[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new GradscopeException(
                    $"Data set '{data.Name}': row {row}, column {col} ('{data.FeatureNames[col]}') is {what}; features must be finite numbers (rows and columns count from 0).");
            }
        }
    }
}
