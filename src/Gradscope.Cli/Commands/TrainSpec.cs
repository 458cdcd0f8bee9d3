using System.CommandLine;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// The run description at <c>train</c>'s edge: <c>--run-spec FILE</c> reads one in place of the
/// run options, <c>--print-spec</c> prints the one the options make.
/// </summary>
internal static class TrainSpec
{
    /// <summary>The configuration to run: the run description file's when given, else the options'.</summary>
    public static RunConfig Config(TrainOptions o, ParseResult parsed)
    {
        if (parsed.GetValue(o.RunSpec) is not { } path)
            return TrainCommand.ToConfig(o, parsed);
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

        return RunSpecs.ToConfig(spec) with { ModelSpecSource = path + ": network" };
    }

    /// <summary>Prints the run description of <paramref name="config"/>; exit code 0.</summary>
    public static int Print(CliContext context, RunConfig config)
    {
        var spec = CommonOptions.AsUsage(() => RunSpecs.FromConfig(config));
        context.Out.WriteLine(RunSpecJson.Write(spec));
        return CliApp.Success;
    }
}
