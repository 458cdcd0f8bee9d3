using System.CommandLine;
using System.Globalization;
using Gradscope.Activations;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope theory</c>: mean-field signal propagation for one configuration (optionally
/// measured on random networks), the phase diagram of an activation, or the trainability grid.
/// </summary>
internal static class TheoryCommand
{
    /// <summary>One configuration, as parsed and validated.</summary>
    internal sealed record Settings(Activation Activation, double? WeightVariance, double BiasVariance, int Depth, bool Json);

    /// <summary>What --measure asks for.</summary>
    internal sealed record MeasureSettings(int Width, int Seeds, bool Orthogonal);

    public static Command Create(CliContext context)
    {
        var activation = new Option<string>("--activation") { Description = "Activation phi: " + string.Join(", ", Activation.Names) + ".", DefaultValueFactory = _ => "tanh" };
        var weightVar = new Option<double?>("--weight-var") { Description = "sigma_w^2: weights are N(0, sigma_w^2 / fan_in). Required for one configuration; marks it on the phase diagram." };
        var biasVar = new Option<double?>("--bias-var") { Description = "sigma_b^2: biases are N(0, sigma_b^2). Default 0 (0.05 for --trainability)." };
        var depth = new Option<int>("--depth") { Description = "Depth L the gradient ratio (and --measure) is for.", DefaultValueFactory = _ => 50 };
        var measure = new Option<bool>("--measure") { Description = "Also build random networks and measure the per-layer gradient ratio and the input-output Jacobian's singular values." };
        var width = new Option<int>("--width") { Description = "Width N of the measured networks.", DefaultValueFactory = _ => 256 };
        var seeds = new Option<int>("--seeds") { Description = "Number of measured networks.", DefaultValueFactory = _ => 5 };
        var orthogonal = new Option<bool>("--orthogonal") { Description = "Measure with scaled orthogonal instead of Gaussian weights (dynamical isometry)." };
        var phaseDiagram = new Option<bool>("--phase-diagram") { Description = "The (sigma_w^2, sigma_b^2) plane: the critical line and the depth scale xi_c." };
        var grid = new Option<string>("--grid") { Description = "Phase-diagram grid, sigma_w^2 points x sigma_b^2 points (36x16 is fine and slow).", DefaultValueFactory = _ => PhaseDiagramRunner.DefaultGrid };
        var png = new Option<string?>("--png") { Description = "Write the phase diagram as a PNG to this file." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the phase diagram as a self-contained HTML report to this file." };
        var trainability = new Option<bool>("--trainability") { Description = "Train deep random tanh networks over depth x sigma_w^2 and set their accuracy beside 6 xi_c (Schoenholz et al. 2017)." };
        var quick = new Option<bool>("--quick") { Description = "The small trainability grid (seconds instead of minutes)." };
        var json = CommonOptions.Json();
        var command = new Command("theory",
            "Mean-field theory of signal propagation (Poole et al. 2016; Schoenholz et al. 2017): predict before training whether gradients vanish or explode, and check it.\n\n" +
            "Examples:\n" +
            "  gradscope theory --activation tanh --weight-var 1.5 --bias-var 0.05 --depth 50\n" +
            "  gradscope theory --activation tanh --weight-var 1.76 --bias-var 0.05 --measure --width 256 --seeds 5 --orthogonal\n" +
            "  gradscope theory --phase-diagram --activation tanh --png phase.png --weight-var 1.5 --bias-var 0.05\n" +
            "  gradscope theory --trainability --quick")
        {
            activation, weightVar, biasVar, depth, measure, width, seeds, orthogonal, phaseDiagram, grid, png, output, trainability, quick, json,
        };
        command.SetAction(parsed =>
        {
            var settings = new Settings(
                CommonOptions.ParseActivation(parsed.GetValue(activation)!),
                Variance(parsed.GetValue(weightVar), "--weight-var", positive: true),
                Variance(parsed.GetValue(biasVar), "--bias-var", positive: false) ?? (parsed.GetValue(trainability) ? 0.05 : 0.0),
                parsed.GetValue(depth),
                parsed.GetValue(json));
            if (settings.Depth < 1)
                throw new UsageException($"--depth must be at least 1; got {settings.Depth}.");
            bool isPhase = parsed.GetValue(phaseDiagram), isTrain = parsed.GetValue(trainability), isMeasure = parsed.GetValue(measure);
            RejectMixedModes(isPhase, isTrain, isMeasure);
            if (isPhase)
            {
                return PhaseDiagramRunner.Run(context, settings, PhaseDiagramRunner.ParseGrid(parsed.GetValue(grid)!),
                    OptionChecks.Path(parsed.GetValue(png), "--png"), OptionChecks.Path(parsed.GetValue(output), "--output"));
            }

            if (isTrain)
                return TrainabilityRunner.Run(context, settings, parsed.GetValue(quick));
            if (settings.WeightVariance is null)
                throw new UsageException("--weight-var is required for one configuration (e.g. --weight-var 1.5); or use --phase-diagram or --trainability.");
            var measureSettings = isMeasure ? Measurement(parsed.GetValue(width), parsed.GetValue(seeds), parsed.GetValue(orthogonal), settings.Depth) : null;
            return TheoryReport.Run(context, settings, measureSettings);
        });
        return command;
    }

    private static void RejectMixedModes(bool phase, bool trainability, bool measure)
    {
        if (phase && trainability)
            throw new UsageException("--phase-diagram and --trainability are separate modes; give one.");
        if (measure && (phase || trainability))
            throw new UsageException("--measure goes with one configuration, not with --phase-diagram or --trainability.");
    }

    private static MeasureSettings Measurement(int width, int seeds, bool orthogonal, int depth)
    {
        if (width < 2)
            throw new UsageException($"--width must be at least 2; got {width}.");
        if ((long)width * width > Array.MaxLength)
            throw new UsageException($"--width {width}: a {width}x{width} weight matrix has {(long)width * width} values, more than the {Array.MaxLength} one array can hold.");
        if (seeds < 1)
            throw new UsageException($"--seeds must be at least 1; got {seeds}.");
        if (depth < 2)
            throw new UsageException($"--measure needs --depth of at least 2 (it compares consecutive layers); got {depth}.");
        return new MeasureSettings(width, seeds, orthogonal);
    }

    private static double? Variance(double? value, string name, bool positive)
    {
        if (value is not { } v)
            return null;
        if (!double.IsFinite(v) || v < 0 || (positive && v == 0))
        {
            string expected = positive ? "a positive number" : "zero or a positive number";
            throw new UsageException($"{name} must be {expected}; got {v.ToString(CultureInfo.InvariantCulture)}.");
        }

        return v;
    }
}
