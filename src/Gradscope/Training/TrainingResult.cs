namespace Gradscope.Training;

/// <summary>How training ended.</summary>
public enum TrainingStatus
{
    /// <summary>The budget was used up.</summary>
    Completed,

    /// <summary>The loss became NaN or infinite; see the message.</summary>
    Diverged,

    /// <summary>The caller stopped it (Ctrl-C) at a step boundary; the weights are those after the last step taken.</summary>
    Interrupted,
}

/// <summary>Mean loss and accuracy over a data set.</summary>
public readonly record struct Evaluation(double Loss, double Accuracy);

/// <summary>The epochs run, the steps taken and how training ended.</summary>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, int Steps, TrainingStatus Status, string? Message)
{
    /// <summary>The last epoch's numbers, or null when no epoch finished.</summary>
    public EpochResult? Final => Epochs.Count > 0 ? Epochs[^1] : null;
}
