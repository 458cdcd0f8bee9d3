namespace Gradscope.Data.Sequences;

/// <summary>
/// The arrays of a sequence task's data set, which every draw overwrites in place: features
/// <c>[N, T, F]</c>, a label per sequence (zeros for regression and per-step tasks), and either
/// regression targets <c>[N, outputs]</c> or a label per step <c>[N, T]</c> (many-to-many).
/// </summary>
internal sealed record TaskArrays(double[] Values, int[] Labels, double[]? Targets, int[]? StepLabels)
{
    /// <summary>Sequences the arrays hold.</summary>
    public int Samples => Labels.Length;

    /// <summary>Arrays for <paramref name="samples"/> sequences of <paramref name="task"/>.</summary>
    public static TaskArrays For(ISequenceTask task, int samples) => new(
        new double[samples * task.MaxLength * task.InputSize],
        new int[samples],
        task.Target == SequenceTarget.Regression ? new double[samples * task.OutputSize] : null,
        task.Output == SequenceOutput.ManyToMany ? new int[samples * task.MaxLength] : null);
}
