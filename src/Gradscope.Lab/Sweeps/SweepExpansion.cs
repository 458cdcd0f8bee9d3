using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Sweeps;

/// <summary>
/// Turns a <see cref="SweepDefinition"/> into its trials: the grid's product (first axis slowest),
/// then the listed trials, then the random search's draws, each at every seed. Trials whose run
/// description repeats an earlier one's are dropped. The same definition always expands to the
/// same trials in the same order.
/// </summary>
public static class SweepExpansion
{
    /// <summary>The option name of the training seed, which <see cref="SweepDefinition.Seeds"/> sets.</summary>
    public const string SeedOption = "seed";

    /// <summary>
    /// The trials of <paramref name="definition"/>. <paramref name="describe"/> turns a trial's
    /// settings (shared ones first, then the point's, then the seed) into its run description; its
    /// exceptions pass through.
    /// </summary>
    public static IReadOnlyList<SweepTrial> Expand(SweepDefinition definition, Func<IReadOnlyList<SweepSetting>, RunSpec> describe)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(describe);
        var varying = VaryingOptions(definition);
        var trials = new List<SweepTrial>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var point in Points(definition))
        {
            string cell = Cell(point, varying);
            foreach (int seed in definition.Seeds)
            {
                var settings = Merge(definition.Base, point, seed);
                var spec = describe(settings);
                string key = SweepTrial.KeyOf(spec);
                if (seen.Add(key))
                    trials.Add(new SweepTrial(trials.Count, cell, seed, settings, spec, key));
            }
        }

        return trials;
    }

    /// <summary>The points (settings on top of the base) in order, before seeds.</summary>
    public static IReadOnlyList<IReadOnlyList<SweepSetting>> Points(SweepDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var points = new List<IReadOnlyList<SweepSetting>>();
        if (definition.Grid.Count > 0 || (definition.Trials.Count == 0 && definition.Random is null))
            AddProduct(definition.Grid, 0, [], points);
        points.AddRange(definition.Trials);
        if (definition.Random is { } search)
        {
            var random = new SweepRandom(search.Seed);
            for (int i = 0; i < search.Count; i++)
            {
                var point = new List<SweepSetting>(search.Parameters.Count);
                foreach (var parameter in search.Parameters)
                    point.Add(new SweepSetting(parameter.Option, random.Draw(parameter)));
                points.Add(point);
            }
        }

        return points;
    }

    private static void AddProduct(IReadOnlyList<SweepAxis> axes, int axis, List<SweepSetting> prefix, List<IReadOnlyList<SweepSetting>> points)
    {
        if (axis == axes.Count)
        {
            points.Add([.. prefix]);
            return;
        }

        foreach (string value in axes[axis].Values)
        {
            prefix.Add(new SweepSetting(axes[axis].Option, value));
            AddProduct(axes, axis + 1, prefix, points);
            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    // Options that tell cells apart: grid axes with more than one value, listed trials' and random options.
    private static List<string> VaryingOptions(SweepDefinition definition)
    {
        var options = new List<string>();
        foreach (var axis in definition.Grid)
        {
            if (axis.Values.Count > 1)
                AddOnce(options, axis.Option);
        }

        foreach (var trial in definition.Trials)
        {
            foreach (var setting in trial)
                AddOnce(options, setting.Option);
        }

        foreach (var parameter in definition.Random?.Parameters ?? [])
            AddOnce(options, parameter.Option);
        return options;
    }

    private static void AddOnce(List<string> options, string option)
    {
        if (!options.Contains(option))
            options.Add(option);
    }

    private static string Cell(IReadOnlyList<SweepSetting> point, List<string> varying)
    {
        var parts = new List<string>();
        foreach (var setting in point)
        {
            if (varying.Contains(setting.Option))
                parts.Add($"{setting.Option}={setting.Value}");
        }

        return string.Join(' ', parts);
    }

    private static List<SweepSetting> Merge(IReadOnlyList<SweepSetting> shared, IReadOnlyList<SweepSetting> point, int seed)
    {
        var settings = new List<SweepSetting>(shared.Count + point.Count + 1);
        foreach (var setting in shared)
        {
            if (!Sets(point, setting.Option))
                settings.Add(setting);
        }

        settings.AddRange(point);
        settings.Add(new SweepSetting(SeedOption, seed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return settings;
    }

    private static bool Sets(IReadOnlyList<SweepSetting> point, string option)
    {
        foreach (var setting in point)
        {
            if (setting.Option == option)
                return true;
        }

        return false;
    }
}
