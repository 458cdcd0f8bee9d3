using System.CommandLine;
using Gradscope.Lab.Runs;

namespace Gradscope.Cli.Commands;

/// <summary>
/// The run description at <c>train</c>'s edge: <c>--run-spec FILE</c> reads one in place of the
/// run options, <c>--print-spec</c> prints the one the options make.
/// </summary>
internal static class TrainSpec
{
    /// <summary>
    /// The run to train: the run description file's when given, else the one the options make
    /// (they are parsed into it here, once).
    /// </summary>
    public static TrainRun Config(TrainOptions o, ParseResult parsed)
    {
        if (parsed.GetValue(o.RunSpec) is not { } path)
        {
            RefuseLayoutBeside(o, parsed);
            var flags = TrainCommand.ToFlags(o, parsed);
            var described = CommonOptions.AsUsage(() => flags.ToSpec());
            return new TrainRun(described, flags.ModelSpecSource, $"train: {flags.DescribeLayers()}, {flags.Activation}, {flags.Init}", flags.ModelSpec is null);
        }

        foreach (var option in o.Described)
        {
            if (parsed.GetResult(option) is { Implicit: false })
                throw new UsageException($"{option.Name} cannot be combined with --run-spec: the run description in '{path}' sets it. Edit the file, or drop --run-spec.");
        }

        if (!File.Exists(path))
            throw new GradscopeException($"Run description file '{path}' does not exist.");
        var spec = RunSpecJson.Read(File.ReadAllText(path), path);
        if (spec.Weights is { } weights)
        {
            throw new GradscopeException(
                $"{path}: the run starts from the weights of '{weights}' (\"init\": \"{RunSpecJson.FromFile}\"); train initializes its network. Continue those weights with 'gradscope diagnose --model {weights}', or set \"init\" to an initializer and \"weights\" to null.");
        }

        return new TrainRun(spec, path + ": network", $"train: {Title(spec)}", false);
    }

    // A model spec defines every hidden layer; a layout flag beside it would be silently ignored.
    private static void RefuseLayoutBeside(TrainOptions o, ParseResult parsed)
    {
        if (parsed.GetValue(o.ModelSpec) is not { } spec)
            return;
        foreach (var option in o.Layout)
        {
            if (parsed.GetResult(option) is { Implicit: false })
                throw new UsageException($"{option.Name} cannot be combined with --model-spec: the model spec '{spec}' defines the hidden layers. Write the layer into the spec, or drop --model-spec.");
        }
    }

    /// <summary>Prints the run description <paramref name="spec"/>; exit code 0.</summary>
    public static int Print(CliContext context, RunSpec spec)
    {
        context.Out.WriteLine(RunSpecJson.Write(spec));
        return CliApp.Success;
    }

    // As the flags name a run: "4x32, relu, he-normal".
    private static string Title(RunSpec spec)
    {
        var widths = spec.DenseWidths();
        bool uniform = true;
        foreach (int width in widths)
            uniform &= width == widths[0];
        string layers = widths.Count == 0 ? "none" : uniform ? $"{widths.Count}x{widths[0]}" : string.Join(",", widths);
        return $"{layers}, {spec.Network.FirstActivation?.Name ?? "identity"}, {spec.Init.ToSpec()}";
    }
}

/// <summary>A run <c>train</c> is about to make: its description, what its network's messages call it, and its name in a report.</summary>
/// <param name="Spec">The run description.</param>
/// <param name="NetworkSource">The network's source in messages: the model spec or run description file, or "model spec".</param>
/// <param name="Title">The run's name in an HTML report.</param>
/// <param name="FromFlags">True when the layout flags described the network: it keeps their form (description, model file metadata).</param>
internal sealed record TrainRun(RunSpec Spec, string NetworkSource, string Title, bool FromFlags);
