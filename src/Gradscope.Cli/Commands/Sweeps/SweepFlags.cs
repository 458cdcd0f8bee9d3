using System.CommandLine;
using Gradscope.Lab.Sweeps;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>
/// The sweep a command line describes: each training option given once with one value is a shared
/// setting, with several values (repeated or a comma list) an axis of the grid; <c>--seeds K</c>
/// or <c>--seed</c> values give the seeds. With <c>--spec</c>, the file's sweep instead.
/// </summary>
internal static class SweepFlags
{
    public static SweepDefinition Definition(SweepOptions o, ParseResult parsed)
    {
        string? name = parsed.GetValue(o.Name);
        if (name is not null && name.Trim().Length == 0)
            throw new UsageException("--name must not be empty.");
        if (parsed.GetValue(o.Spec) is { } path)
            return FromFile(o, parsed, path, name);
        if (name is null)
            throw new UsageException("sweep run needs --name NAME (or a --spec file with a \"name\"): running the same name again resumes the sweep.");
        var shared = new List<SweepSetting>();
        var grid = new List<SweepAxis>();
        foreach (var option in o.Grid)
        {
            if (option.Name == "--" + SweepExpansion.SeedOption || parsed.GetResult(option) is not { Implicit: false } result)
                continue;
            var values = Values(option, result);
            string key = option.Name[2..];
            if (values.Count == 1)
                shared.Add(new SweepSetting(key, values[0]));
            else
                grid.Add(new SweepAxis(key, values));
        }

        return new SweepDefinition { Name = name, Base = shared, Grid = grid, Seeds = Seeds(o, parsed) };
    }

    private static SweepDefinition FromFile(SweepOptions o, ParseResult parsed, string path, string? name)
    {
        foreach (var option in o.Grid)
        {
            if (parsed.GetResult(option) is { Implicit: false })
                throw new UsageException($"{option.Name} cannot be combined with --spec: the sweep in '{path}' sets the training options. Edit the file, or drop --spec.");
        }

        if (parsed.GetResult(o.Seeds) is { Implicit: false })
            throw new UsageException($"--seeds cannot be combined with --spec: set \"seeds\" in '{path}'.");
        if (!File.Exists(path))
            throw new UsageException($"--spec: sweep file '{path}' does not exist.");
        try
        {
            return SweepJson.Read(File.ReadAllText(path), path, o.SettingNames(), name);
        }
        catch (GradscopeException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static List<string> Values(Option<string[]> option, System.CommandLine.Parsing.OptionResult result)
    {
        var values = new List<string>();
        if (result.Tokens.Count == 0)
        {
            values.Add("true"); // a flag given alone
            return values;
        }

        bool split = SweepOptions.SplitsCommas(option.Name);
        foreach (var token in result.Tokens)
        {
            foreach (string part in split ? token.Value.Split(',') : [token.Value])
            {
                string value = part.Trim();
                if (value.Length == 0)
                    throw new UsageException($"{option.Name} '{token.Value}': an empty value in the list.");
                if (!values.Contains(value))
                    values.Add(value);
            }
        }

        return values;
    }

    private static IReadOnlyList<int> Seeds(SweepOptions o, ParseResult parsed)
    {
        var seedOption = o.Find(SweepExpansion.SeedOption)!;
        int? count = parsed.GetValue(o.Seeds);
        bool listed = parsed.GetResult(seedOption) is { Implicit: false };
        if (count is not null && listed)
            throw new UsageException("--seeds and --seed cannot be used together: --seeds K means seeds 1..K; --seed lists seeds.");
        if (count is { } k)
        {
            if (k < 1 || k > 100_000)
                throw new UsageException($"--seeds must be from 1 to 100000; got {k}.");
            var seeds = new int[k];
            for (int i = 0; i < k; i++)
                seeds[i] = i + 1;
            return seeds;
        }

        if (!listed)
            return [1];
        var list = new List<int>();
        foreach (string text in Values(seedOption, parsed.GetResult(seedOption)!))
        {
            if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int seed))
                throw new UsageException($"--seed '{text}' is not a whole number.");
            list.Add(seed);
        }

        return list;
    }
}
