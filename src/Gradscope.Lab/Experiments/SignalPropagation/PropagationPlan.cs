using Gradscope.Theory;

namespace Gradscope.Lab.Experiments;

/// <summary>The trainability grid one signal-propagation run trains, and how many seeds of it.</summary>
/// <param name="Options">The grid (tanh, sigma_b^2 = 0.05); its seed and parallelism are set per run.</param>
/// <param name="Seeds">Independent grids (data and networks), seeds Seed .. Seed + Seeds - 1.</param>
internal sealed record PropagationPlan(TrainabilityOptions Options, int Seeds)
{
    /// <summary>sigma_w^2 up to which the network is in the ordered phase the first expectation covers.</summary>
    public const double OrderedLimit = 1.5;

    /// <summary>The theory's full grid (depths 10 to 100, sigma_w^2 1 to 4, width 64, 1000 steps), two seeds.</summary>
    public static PropagationPlan Full { get; } = new(TrainabilityOptions.Full, 2);

    /// <summary>
    /// A coarse grid: depths 5 to 40 at width 32, five sigma_w^2 around the critical 1.76, 300 steps, two
    /// seeds. The depths step by sqrt(2), so the grid's rounding down of a limit costs at most that factor
    /// of the factor of 2 the ordered phase is checked to (steps of 2 would leave no room at all).
    /// </summary>
    public static PropagationPlan Quick { get; } = new(TrainabilityOptions.Quick with
    {
        Depths = [5, 7, 10, 14, 20, 28, 40],
        WeightVariances = [0.8, 1.2, 1.76, 2.5, 3.5],
    }, 2);
}
