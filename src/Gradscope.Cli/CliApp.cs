using System.CommandLine;
using Gradscope.Cli.Commands;
using Gradscope.Cli.Output;
using Gradscope.Lab.Outputs;

namespace Gradscope.Cli;

/// <summary>
/// The <c>gradscope</c> command: parses, dispatches, and maps failures to exit codes: 0 success,
/// 1 bad data or a diagnosed failure, 2 bad usage (an unusable output path included), 130 after
/// Ctrl-C and 143 after SIGTERM (see <see cref="Interrupts"/>). Users never see a stack trace
/// unless they set GRADSCOPE_DEBUG=1.
/// </summary>
internal static class CliApp
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    private const string RootName = "gradscope";

    /// <param name="args">The command line.</param>
    /// <param name="stdout">Text output.</param>
    /// <param name="stderr">Errors and notices.</param>
    /// <param name="plain">True when the output is not a terminal: no colour, animation or cursor control.</param>
    /// <param name="standardOutput">Opens the byte stream that an output named <c>-</c> goes to; the console's by default.</param>
    /// <param name="experiments">The experiment catalogue <c>experiment</c> offers; <see cref="Lab.Experiments.ExperimentCatalogue.All"/> by default (tests give their own).</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool plain, Func<Stream>? standardOutput = null, IReadOnlyList<Lab.Experiments.IExperiment>? experiments = null)
    {
        using var interrupts = Interrupts.Register(stderr, restoreCursor: !plain);
        var context = new CliContext(stdout, stderr, plain)
        {
            Interrupts = interrupts,
            OpenStandardOutput = standardOutput ?? Console.OpenStandardOutput,
        };
        var root = BuildRoot(context, experiments ?? Lab.Experiments.ExperimentCatalogue.All);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var messages = new List<string>();
            foreach (var error in parsed.Errors)
            {
                if (!messages.Contains(error.Message))
                    messages.Add(error.Message);
            }

            // Unknown tokens explain a missing command or option best, so they go first.
            messages.Sort((a, b) => IsUnrecognized(b).CompareTo(IsUnrecognized(a)));
            stderr.WriteLine($"error: {string.Join(" ", messages)} (see 'gradscope {CommandPath(parsed)}--help')");
            return Usage;
        }

        try
        {
            // A malformed GRADSCOPE_MEMORY_LIMIT is bad usage, found before any command runs.
            CommonOptions.AsUsage(Memory.MemoryBudget.FromEnvironment);
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"error: {ErrorText.OneLine(ex.Message)}");
            return Usage;
        }
        catch (OutputPathException ex)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return Usage;
        }
        catch (OperationCanceledException) when (interrupts.StopRequested)
        {
            // A write refused to start because a second signal is ending the process.
            return interrupts.ExitCode;
        }
        catch (GradscopeException ex)
        {
            stderr.WriteLine($"error: {ErrorText.OneLine(ex.Message)}");
            return Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {ErrorText.OneLine(ex.Message)}");
            return Failure;
        }
        catch (Exception ex) when (Environment.GetEnvironmentVariable("GRADSCOPE_DEBUG") != "1")
        {
            stderr.WriteLine($"internal error: {ex.GetType().Name}: {ErrorText.OneLine(ex.Message)} (set GRADSCOPE_DEBUG=1 for details; please report it)");
            return Failure;
        }
    }

    // A plain command named "gradscope" rather than RootCommand, whose name is the entry
    // assembly's (Gradscope.Cli), so help shows the name users type; help and version are added
    // as RootCommand would add them.
    private static Command BuildRoot(CliContext context, IReadOnlyList<Lab.Experiments.IExperiment> experiments)
    {
        var root = new Command(
            RootName,
            "Gradscope: see, measure, diagnose and fix vanishing and exploding gradients.\n\n" +
            "Examples:\n" +
            "  gradscope demo\n" +
            "  gradscope train --data spiral --layers 4x32 --activation relu --init he-normal\n" +
            "  gradscope inspect --model model.safetensors --data data.csv --json\n" +
            "  gradscope sweep run --name depth --data spiral --layers 2x32 --layers 10x32 --activation tanh,relu --seeds 3");
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        root.Options.Add(new VersionOption());
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(TrainCommand.Create(context));
        root.Subcommands.Add(DiagnoseCommand.Create(context));
        root.Subcommands.Add(InspectCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(ExperimentCommand.Create(context, experiments));
        root.Subcommands.Add(BenchCommand.Create(context));
        root.Subcommands.Add(TheoryCommand.Create(context));
        root.Subcommands.Add(Commands.Runs.RunsCommand.Create(context));
        root.Subcommands.Add(Commands.Sweeps.SweepCommand.Create(context));
        root.Subcommands.Add(Commands.Store.StoreCommand.Create(context));
        root.Subcommands.Add(Commands.Sweeps.WorkerCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        return root;
    }

    private static bool IsUnrecognized(string message) => message.Contains("Unrecognized", StringComparison.Ordinal);

    // The whole path below the root ("experiment run "), so the hint names a command that exists.
    private static string CommandPath(ParseResult parsed)
    {
        string path = string.Empty;
        for (var result = parsed.CommandResult; result is not null && result.Command.Name != RootName; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            path = result.Command.Name + " " + path;
        return path;
    }
}

/// <summary>Where a command writes, and whether the output is a terminal.</summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, bool Plain)
{
    /// <summary>Ctrl-C and SIGTERM; a command that can stop cleanly listens to them.</summary>
    public Interrupts Interrupts { get; init; } = Interrupts.None;

    /// <summary>Opens the byte stream behind <see cref="Out"/>, for outputs named <c>-</c>.</summary>
    public Func<Stream> OpenStandardOutput { get; init; } = Console.OpenStandardOutput;

    public Terminal CreateTerminal() => new(Out, Plain);
}

/// <summary>Bad usage found after parsing (conflicting options, a value out of range): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
