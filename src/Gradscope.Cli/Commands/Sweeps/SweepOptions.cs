using System.CommandLine;
using Gradscope.Lab.Sweeps;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>
/// The options of <c>gradscope sweep run</c>: every option that describes a <c>train</c> run, each
/// repeatable (and, where a value never holds a comma, taking a comma list), plus the sweep's own.
/// </summary>
internal sealed class SweepOptions
{
    // Values of these may contain a comma (64,32 is one network; paths), so only repetition lists them.
    private static readonly string[] CommaValued = ["--layers", "--model-spec", "--data-dir", "--label"];

    public SweepOptions()
    {
        foreach (var option in Train.Described)
        {
            bool flag = option is Option<bool>;
            string list = Array.IndexOf(CommaValued, option.Name) >= 0 ? " Repeat for several values." : " Repeat, or give a comma list, for several values.";
            var sweepOption = new Option<string[]>(option.Name)
            {
                Description = option.Description + list + (flag ? " Given alone: set; 'true,false' runs both." : string.Empty),
                Arity = flag ? ArgumentArity.ZeroOrMore : ArgumentArity.OneOrMore,
            };
            Grid.Add(sweepOption);
        }
    }

    /// <summary>train's options, whose parsing turns a trial's settings into its run description.</summary>
    public TrainOptions Train { get; } = new();

    /// <summary>One repeatable option per option of <see cref="TrainOptions.Described"/>, same names, in the same order.</summary>
    public List<Option<string[]>> Grid { get; } = [];

    public Option<string?> Name { get; } = new("--name") { Description = "The sweep's name: its trials are tagged sweep:NAME; running it again resumes it." };

    public Option<int?> Seeds { get; } = new("--seeds") { Description = "Run every cell with seeds 1..K (or list seeds with --seed 1,2,5)." };

    public Option<string?> Spec { get; } = new("--spec") { Description = "Read the sweep from this JSON file (schema docs/schemas/sweep.v1.schema.json: base settings, grid, listed trials, random search, seeds) instead of the training options." };

    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print the trials (cell and seed) and their count, and exit without training." };

    public Option<int> Parallel { get; } = new("--parallel")
    {
        Description = "Trials trained at once, each on one thread (default: the number of cores).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public Option<bool> Extend { get; } = new("--extend") { Description = "Add this grid's new trials to an existing sweep whose grid differs (without it, a different grid under the same name is an error)." };

    public Option<bool> Enqueue { get; } = new("--enqueue")
    {
        Description = "Record the sweep with its trials queued in a shared PostgreSQL store and exit, for 'gradscope worker' processes (on any machines) to train.",
    };

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<string?> Store { get; } = Runs.StoreOptions.StorePath();

    public IEnumerable<Option> Own => [Name, Seeds, Spec, DryRun, Parallel, Extend, Enqueue, Json, Store];

    /// <summary>Whether an option's values may be given as one comma list.</summary>
    public static bool SplitsCommas(string name) => Array.IndexOf(CommaValued, name) < 0;

    /// <summary>The sweep option for a setting's option name (<c>layers</c>), or null when there is none.</summary>
    public Option<string[]>? Find(string option)
    {
        foreach (var grid in Grid)
        {
            if (grid.Name == "--" + option)
                return grid;
        }

        return null;
    }

    /// <summary>The option names a sweep setting may use (without dashes), the seed excepted.</summary>
    public IReadOnlyList<string> SettingNames()
    {
        var names = new List<string>();
        foreach (var option in Grid)
        {
            if (option.Name != "--" + SweepExpansion.SeedOption)
                names.Add(option.Name[2..]);
        }

        return names;
    }
}
