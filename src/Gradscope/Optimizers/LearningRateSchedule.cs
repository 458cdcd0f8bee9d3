using System.Globalization;

namespace Gradscope.Optimizers;

/// <summary>Creates learning-rate schedules from a short text spec.</summary>
public static class LearningRateSchedule
{
    /// <summary>The accepted specs, as shown in error messages and help.</summary>
    public const string Syntax =
        "constant; step[:STEP_SIZE[:GAMMA]] (multiply by GAMMA every STEP_SIZE epochs; defaults 10 and 0.1); " +
        "cosine[:MIN_LR] (anneal to MIN_LR over the run; default 0)";

    /// <summary>
    /// Parses <paramref name="spec"/> (case-insensitive): <c>constant</c>; <c>step</c>,
    /// <c>step:10</c> or <c>step:10:0.5</c> (step size in epochs, then gamma; defaults 10 and 0.1 as
    /// PyTorch's StepLR gamma); <c>cosine</c> or <c>cosine:0.0001</c> (the minimum learning rate,
    /// default 0; annealed over <paramref name="epochs"/>).
    /// </summary>
    /// <param name="spec">The schedule spec.</param>
    /// <param name="initialLearningRate">The learning rate at epoch 0.</param>
    /// <param name="epochs">Length of the run in epochs (the cosine schedule's period).</param>
    /// <exception cref="GradscopeException">The spec is malformed; the message shows the syntax.</exception>
    public static ILearningRateSchedule Parse(string spec, double initialLearningRate, int epochs)
    {
        string text = (spec ?? string.Empty).Trim();
        string[] parts = text.ToLowerInvariant().Split(':');
        return parts[0] switch
        {
            "constant" when parts.Length == 1 => new ConstantSchedule(initialLearningRate),
            "step" when parts.Length <= 3 => new StepSchedule(
                initialLearningRate,
                parts.Length > 1 ? StepSize(parts[1], text) : 10,
                parts.Length > 2 ? Number(parts[2], text, "gamma") : 0.1),
            "cosine" when parts.Length <= 2 => new CosineSchedule(
                initialLearningRate,
                epochs,
                parts.Length > 1 ? Number(parts[1], text, "minimum learning rate") : 0),
            "constant" or "step" or "cosine" => throw new GradscopeException($"Too many ':' parts in learning-rate schedule '{text}'. Valid schedules: {Syntax}."),
            _ => throw new GradscopeException($"Unknown learning-rate schedule '{text}'. Valid schedules: {Syntax}."),
        };
    }

    private static int StepSize(string part, string spec) =>
        int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new GradscopeException($"In learning-rate schedule '{spec}', the step size '{part}' is not a whole number of epochs. Valid schedules: {Syntax}.");

    private static double Number(string part, string spec, string what) =>
        double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new GradscopeException($"In learning-rate schedule '{spec}', the {what} '{part}' is not a number. Valid schedules: {Syntax}.");
}
