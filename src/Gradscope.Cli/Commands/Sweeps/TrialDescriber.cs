using System.CommandLine;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Sweeps;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>
/// Turns a trial's settings into its run description exactly as <c>train</c> turns its options into
/// one: the settings become a <c>train</c> command line, parsed by <c>train</c>'s options and
/// read by <see cref="TrainCommand.ToFlags"/> (defaults, checks and messages included).
/// </summary>
internal sealed class TrialDescriber
{
    private readonly TrainOptions _options;
    private readonly Command _command;
    private readonly string? _source;

    /// <param name="options">The sweep's options (whose train options parse the settings).</param>
    /// <param name="source">The sweep file, named in messages; null for the command line.</param>
    public TrialDescriber(SweepOptions options, string? source)
    {
        _options = options.Train;
        _source = source;
        _command = new Command("trial");
        foreach (var option in _options.All)
            _command.Options.Add(option);
    }

    /// <summary>The run description of <paramref name="settings"/>; bad usage (naming the setting) when one is not valid.</summary>
    public RunSpec Describe(IReadOnlyList<SweepSetting> settings)
    {
        var args = new List<string>();
        foreach (var setting in settings)
            AddArguments(args, setting);
        var parsed = _command.Parse(args);
        if (parsed.Errors.Count > 0)
            throw Usage(settings, parsed.Errors[0].Message);
        try
        {
            return TrainCommand.ToFlags(_options, parsed).ToSpec();
        }
        catch (Exception ex) when (ex is UsageException or GradscopeException)
        {
            throw Usage(settings, ex.Message);
        }
    }

    private void AddArguments(List<string> args, SweepSetting setting)
    {
        string name = "--" + setting.Option;
        bool flag = false;
        foreach (var option in _options.Described)
        {
            if (option.Name == name)
                flag = option is Option<bool>;
        }

        if (!flag)
        {
            args.Add(name);
            args.Add(setting.Value);
            return;
        }

        if (setting.Value is not ("true" or "false"))
            throw new UsageException($"{Where()}{name} '{setting.Value}': a flag takes true or false.");
        if (setting.Value == "true")
            args.Add(name);
    }

    private UsageException Usage(IReadOnlyList<SweepSetting> settings, string message)
    {
        var shown = new List<string>();
        foreach (var setting in settings)
            shown.Add($"{setting.Option}={setting.Value}");
        return new UsageException($"{Where()}trial {string.Join(' ', shown)}: {message}");
    }

    private string Where() => _source is null ? string.Empty : _source + ": ";
}
