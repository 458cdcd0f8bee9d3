namespace Gradscope.Data;

/// <summary>How a data set's rows hold sequences, and which built-in task made them.</summary>
/// <param name="Steps">Time steps per row (the sequence length T).</param>
/// <param name="Features">Features per step.</param>
/// <param name="Task">The built-in sequence task (<c>adding</c>, <c>temporal-order</c>), or null for a file.</param>
public sealed record SequenceShape(int Steps, int Features, string? Task = null);

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
