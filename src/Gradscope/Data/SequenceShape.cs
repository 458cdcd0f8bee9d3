namespace Gradscope.Data;

/// <summary>How a data set's rows hold sequences, and which built-in task made them.</summary>
/// <param name="Steps">Time steps per row (the sequence length T).</param>
/// <param name="Features">Features per step.</param>
/// <param name="Task">The built-in sequence task (<c>adding</c>, <c>copy</c>, <c>temporal-order</c>), or null for a file.</param>
public sealed record SequenceShape(int Steps, int Features, string? Task = null)
{
    /// <summary>
    /// The length T the task was asked for (<c>--seq-len</c>) when its rows are longer (the copy task:
    /// T + 2 * copy length steps); null when the rows are T steps.
    /// </summary>
    public int? TaskLength { get; init; }

    /// <summary>The length to ask the task for to get rows like these.</summary>
    public int Length => TaskLength ?? Steps;
}

/// <summary>Real-valued targets of a regression data set, row-major <c>[rows, Width]</c>.</summary>
/// <param name="Values">The targets, row-major.</param>
/// <param name="Width">Targets per row.</param>
/// <param name="Tolerance">An output counts as correct when every |output - target| is below this.</param>
public sealed record RegressionTargets(double[] Values, int Width, double Tolerance)
{
    /// <summary>The targets of <paramref name="indices"/>, in that order.</summary>
    public RegressionTargets Subset(ReadOnlySpan<int> indices)
    {
        var values = new double[indices.Length * Width];
        for (int i = 0; i < indices.Length; i++)
            Values.AsSpan(indices[i] * Width, Width).CopyTo(values.AsSpan(i * Width, Width));
        return this with { Values = values };
    }
}

/// <summary>
/// Class labels per time step of a many-to-many sequence data set (the copy task), row-major
/// <c>[rows, Steps]</c>: the network outputs one row per sequence and step (row <c>b * Steps + t</c>),
/// the loss is the mean cross-entropy over every step, and accuracy counts the steps from
/// <see cref="ScoredFrom"/> on (the copy task's recall steps, where guessing gives 1/K).
/// </summary>
/// <param name="Values">The labels, row-major <c>[rows, Steps]</c>.</param>
/// <param name="Steps">Labels per row (the sequence length).</param>
/// <param name="ScoredFrom">The first step that counts toward accuracy.</param>
public sealed record StepLabels(int[] Values, int Steps, int ScoredFrom = 0)
{
    /// <summary>Steps per row that count toward accuracy.</summary>
    public int ScoredSteps => Steps - ScoredFrom;

    /// <summary>The labels of <paramref name="indices"/>, in that order.</summary>
    public StepLabels Subset(ReadOnlySpan<int> indices)
    {
        var values = new int[indices.Length * Steps];
        for (int i = 0; i < indices.Length; i++)
            Values.AsSpan(indices[i] * Steps, Steps).CopyTo(values.AsSpan(i * Steps, Steps));
        return this with { Values = values };
    }

    /// <summary>Copies the labels of <paramref name="indices"/> into <paramref name="destination"/>, one per row and step. Allocates nothing.</summary>
    public void Copy(ReadOnlySpan<int> indices, Span<int> destination)
    {
        for (int i = 0; i < indices.Length; i++)
            Values.AsSpan(indices[i] * Steps, Steps).CopyTo(destination.Slice(i * Steps, Steps));
    }
}
