using System.CommandLine;
using Gradscope.Cli.Commands.Runs;

namespace Gradscope.Cli.Commands;

/// <summary>What <c>experiment run NAME</c> and its short form are run with.</summary>
internal sealed record ExperimentRequest(bool Quick, int Seed, bool Json, string? Report, int? Parallel, string? DataDir, StoreRequest Store);

/// <summary>The options of <c>experiment run</c> (and of the short form <c>experiment NAME</c>).</summary>
internal sealed class ExperimentOptions
{
    private readonly Option<bool> _quick = new("--quick") { Description = "The small version, sized to finish in under a minute on 2 cores (what CI runs)." };
    private readonly Option<int> _seed = CommonOptions.Seed();
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly Option<string?> _report = new("--report") { Description = "Also write a self-contained HTML page of the result (tables, expectations, charts) to this file." };
    private readonly Option<int?> _parallel = new("--parallel") { Description = "Runs trained at the same time (default: the number of cores)." };
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();
    private readonly StoreOptions _store = new();

    public void AddTo(Command command)
    {
        command.Options.Add(_quick);
        command.Options.Add(_seed);
        command.Options.Add(_json);
        command.Options.Add(_report);
        command.Options.Add(_parallel);
        command.Options.Add(_dataDir);
        foreach (var option in _store.All)
            command.Options.Add(option);
    }

    /// <exception cref="UsageException">An option is out of range.</exception>
    public ExperimentRequest Read(ParseResult parsed) => new(
        parsed.GetValue(_quick),
        parsed.GetValue(_seed),
        parsed.GetValue(_json),
        OptionChecks.Path(parsed.GetValue(_report), "--report"),
        OptionChecks.AtLeast(parsed.GetValue(_parallel), 1, "--parallel"),
        OptionChecks.Path(parsed.GetValue(_dataDir), "--data-dir"),
        _store.Read(parsed));
}
