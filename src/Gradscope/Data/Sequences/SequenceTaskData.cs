namespace Gradscope.Data.Sequences;

/// <summary>
/// A built-in sequence task as a data set of <c>gradscope train</c>: sequences of exactly T steps
/// drawn from the task's generator, each row a <c>[T, F]</c> sequence (time-major), with class labels
/// (classification: one per sequence, or one per step for the copy task, see <see cref="StepLabels"/>)
/// or real targets (regression, one per sequence). The generator never runs out:
/// the data set redraws its rows at every epoch (<see cref="Dataset.EpochRefill"/>), and its held-out
/// set is drawn once from a seed of its own.
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
    /// <paramref name="length"/>: epoch 0's draw, from a seed derived from <paramref name="seed"/>;
    /// <see cref="Dataset.EpochRefill"/> redraws them in place for each later epoch.
    /// </summary>
    /// <exception cref="GradscopeException">The task is unknown or the length out of range.</exception>
    public static Dataset Create(string name, int length, int samples, int seed)
    {
        if (samples < 1)
            throw new GradscopeException($"A sequence task needs at least 1 sample; got {samples}.");
        return new FreshTaskRows(RowTask(name, length), samples, seed).Rows;
    }

    /// <summary>Task <paramref name="name"/> at length <paramref name="length"/> as rows of a data set hold it: every sequence of one fixed length.</summary>
    /// <exception cref="GradscopeException">The task is unknown or the length out of range.</exception>
    internal static ISequenceTask RowTask(string name, int length)
    {
        var task = SequenceTasks.Create(name, length);
        return task switch
        {
            AddingProblem => new AddingProblem(length) { FixedLength = true },
            TemporalOrder => new TemporalOrder(length) { FixedLength = true },
            _ => task,
        };
    }

    /// <summary>
    /// Draws <see cref="TaskArrays.Samples"/> sequences of <paramref name="task"/> from
    /// <paramref name="rng"/> and writes them into a data set's <paramref name="arrays"/>. The one
    /// place a generator's batch becomes rows, for the first draw and every refill alike. Allocates
    /// only when <paramref name="batch"/> grows. Returns the first scored step (0 but for copy).
    /// </summary>
    internal static int Draw(ISequenceTask task, SequenceBatch<double> batch, SeededRandom rng, TaskArrays arrays)
    {
        int samples = arrays.Samples;
        task.Fill(batch, samples, rng);
        int steps = batch.Inputs.Length, features = task.InputSize;
        var values = arrays.Values;
        if (values.Length != samples * steps * features)
            throw new InvalidOperationException($"The {task.Name} task drew {steps} steps; its rows hold {values.Length / (samples * features)}.");
        for (int t = 0; t < steps; t++)
        {
            var step = batch.Inputs[t];
            for (int b = 0; b < samples; b++)
                step.Row(b).CopyTo(values.AsSpan(((b * steps) + t) * features, features));
        }

        if (arrays.Targets is { } targets)
            batch.Targets.Span.CopyTo(targets);
        else if (arrays.StepLabels is { } stepLabels)
            ToSequenceMajor(batch.Labels, samples, steps, stepLabels);
        else
            batch.Labels.CopyTo(arrays.Labels);
        return batch.ScoredFromStep;
    }

    /// <summary>
    /// A data set over <paramref name="arrays"/> that <see cref="Draw"/> fills, with
    /// <paramref name="refill"/> attached (null for a fixed set); <paramref name="scoredFrom"/> is the
    /// first scored step of a many-to-many task.
    /// </summary>
    internal static Dataset Rows(ISequenceTask task, TaskArrays arrays, int scoredFrom, IEpochRefill? refill)
    {
        int steps = task.MaxLength, features = task.InputSize;
        var shape = new SequenceShape(steps, features, task.Name) { TaskLength = steps == task.Length ? null : task.Length };
        if (arrays.Targets is { } targets)
        {
            var regression = new RegressionTargets(targets, task.OutputSize, task.Tolerance);
            return new Dataset(task.Name, arrays.Values, arrays.Labels, steps * features, 1, StepNames(steps, features)) { Sequence = shape, Regression = regression, EpochRefill = refill };
        }

        return new Dataset(task.Name, arrays.Values, arrays.Labels, steps * features, task.OutputSize, StepNames(steps, features))
        {
            Sequence = shape,
            StepLabels = arrays.StepLabels is { } stepLabels ? new StepLabels(stepLabels, steps, scoredFrom) : null,
            EpochRefill = refill,
        };
    }

    // A label per sequence and step, reordered from the batch's time-major rows to [N, T].
    private static void ToSequenceMajor(ReadOnlySpan<int> timeMajor, int samples, int steps, int[] labels)
    {
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < samples; b++)
                labels[(b * steps) + t] = timeMajor[(t * samples) + b];
        }
    }

    /// <summary>Column names of flattened sequences: <c>t0_x0, t0_x1, ..., t{T-1}_x{F-1}</c>.</summary>
    internal static string[] StepNames(int steps, int features)
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
