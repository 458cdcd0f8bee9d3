using System.Globalization;

namespace Gradscope.Optimizers;

/// <summary>Which learning-rate schedule a <see cref="ScheduleSpec"/> describes.</summary>
public enum ScheduleKind
{
    /// <summary>The initial learning rate throughout.</summary>
    Constant,

    /// <summary>Multiplied by <see cref="ScheduleSpec.Gamma"/> every <see cref="ScheduleSpec.StepSize"/> epochs (PyTorch's StepLR).</summary>
    Step,

    /// <summary>Cosine annealing to <see cref="ScheduleSpec.MinimumLearningRate"/> over the run.</summary>
    Cosine,
}

/// <summary>
/// A learning-rate schedule as a value, before the initial rate and the run's length are known:
/// what a run description stores. <see cref="Create"/> makes the schedule itself.
/// </summary>
public sealed record ScheduleSpec
{
    /// <summary>The constant schedule.</summary>
    public static ScheduleSpec Constant { get; } = new();

    /// <summary>Which schedule.</summary>
    public ScheduleKind Kind { get; init; }

    /// <summary>Epochs between decays (<see cref="ScheduleKind.Step"/>); default 10.</summary>
    public int StepSize { get; init; } = 10;

    /// <summary>Decay factor (<see cref="ScheduleKind.Step"/>); default 0.1.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>Final learning rate (<see cref="ScheduleKind.Cosine"/>); default 0.</summary>
    public double MinimumLearningRate { get; init; }

    /// <summary>Parses the command line's syntax (<see cref="LearningRateSchedule.Syntax"/>).</summary>
    /// <exception cref="GradscopeException">The spec is malformed.</exception>
    public static ScheduleSpec Parse(string text) => LearningRateSchedule.Parse(text, 1.0, 1) switch
    {
        StepSchedule step => new ScheduleSpec { Kind = ScheduleKind.Step, StepSize = step.StepSize, Gamma = step.Gamma },
        CosineSchedule cosine => new ScheduleSpec { Kind = ScheduleKind.Cosine, MinimumLearningRate = cosine.MinimumLearningRate },
        _ => Constant,
    };

    /// <summary>The schedule for a run starting at <paramref name="initialLearningRate"/> and lasting <paramref name="epochs"/> epochs.</summary>
    public ILearningRateSchedule Create(double initialLearningRate, int epochs) => Kind switch
    {
        ScheduleKind.Step => new StepSchedule(initialLearningRate, StepSize, Gamma),
        ScheduleKind.Cosine => new CosineSchedule(initialLearningRate, epochs, MinimumLearningRate),
        _ => new ConstantSchedule(initialLearningRate),
    };

    /// <summary>The command line's text for this schedule (<c>constant</c>, <c>step:10:0.1</c>, <c>cosine:0</c>).</summary>
    public override string ToString() => Kind switch
    {
        ScheduleKind.Step => $"step:{StepSize.ToString(CultureInfo.InvariantCulture)}:{Gamma.ToString("R", CultureInfo.InvariantCulture)}",
        ScheduleKind.Cosine => "cosine:" + MinimumLearningRate.ToString("R", CultureInfo.InvariantCulture),
        _ => "constant",
    };
}
