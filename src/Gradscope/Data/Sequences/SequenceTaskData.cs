
namespace Gradscope.Data.Sequences;

/// <summary>
/// A built-in sequence task as a data set of <c>gradscope train</c>: a fixed number of sequences of
/// exactly T steps drawn from the task's generator, each row a <c>[T, F]</c> sequence (time-major),
/// with class labels (classification: one per sequence, or one per step for the copy task, see
/// <see cref="StepLabels"/>) or real targets (regression, one per sequence).
/// </summary>
public static class SequenceTaskData
{
    /// <summary>Sequences drawn when no count is given.</summary>
    public const int DefaultSamples = 4096;

    /// <summary>The names <c>--data</c> accepts for the built-in tasks.</summary>
    public static bool IsTask(string name) =>
        (name ?? string.Empty).Trim().ToLowerInvariant() is "adding" or "copy" or "temporal-order" or "temporal";

    /// <summary>True for a task with real targets (adding), which trains with mean squared error.</summary>
    public static bool IsRegression(string name) => string.Equals((name ?? string.Empty).Trim(), "adding", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <paramref name="samples"/> sequences of task <paramref name="name"/> at length
    /// <paramref name="length"/>, drawn from <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="GradscopeException">The task is unknown or the length out of range.</exception>
    public static Dataset Create(string name, int length, int samples, int seed)
    {
        if (samples < 1)
            throw new GradscopeException($"A sequence task needs at least 1 sample; got {samples}.");
        var task = SequenceTasks.Create(name, length);
        task = task switch
        {
            AddingProblem => new AddingProblem(length) { FixedLength = true },
            TemporalOrder => new TemporalOrder(length) { FixedLength = true },
            _ => task,
        };
        var batch = new SequenceBatch<double>(task.InputSize, task.OutputSize);
        task.Fill(batch, samples, new SeededRandom(seed));
        int steps = batch.Inputs.Length, features = task.InputSize;
        var values = new double[samples * steps * features];
        for (int t = 0; t < steps; t++)
        {
            var step = batch.Inputs[t];
            for (int b = 0; b < samples; b++)
                step.Row(b).CopyTo(values.AsSpan(((b * steps) + t) * features, features));
        }

        var shape = new SequenceShape(steps, features, task.Name) { TaskLength = steps == length ? null : length };
        if (task.Output == SequenceOutput.ManyToMany)
            return PerStep(task, batch, values, shape);
        if (task.Target == SequenceTarget.Regression)
        {
            var targets = new RegressionTargets(batch.Targets.Span.ToArray(), task.OutputSize, task.Tolerance);
            return new Dataset(task.Name, values, new int[samples], steps * features, 1, StepNames(steps, features)) { Sequence = shape, Regression = targets };
        }

        return new Dataset(task.Name, values, batch.Labels.ToArray(), steps * features, task.OutputSize, StepNames(steps, features)) { Sequence = shape };
    }

    // A label per sequence and step, reordered from the batch's time-major rows to [N, T].
    private static Dataset PerStep(ISequenceTask task, SequenceBatch<double> batch, double[] values, SequenceShape shape)
    {
        int steps = shape.Steps, samples = batch.Inputs.Batch;
        var labels = new int[samples * steps];
        var timeMajor = batch.Labels;
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < samples; b++)
                labels[(b * steps) + t] = timeMajor[(t * samples) + b];
        }

        return new Dataset(task.Name, values, new int[samples], steps * shape.Features, task.OutputSize, StepNames(steps, shape.Features))
        {
            Sequence = shape,
            StepLabels = new StepLabels(labels, steps, batch.ScoredFromStep),
        };
    }

    private static string[] StepNames(int steps, int features)
    {
        var names = new string[steps * features];
        for (int t = 0; t < steps; t++)
        {
            for (int f = 0; f < features; f++)
                names[(t * features) + f] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"t{t}_x{f}");
        }

        return names;
    }
}
