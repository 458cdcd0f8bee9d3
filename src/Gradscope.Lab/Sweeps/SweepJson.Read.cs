using System.Text.Json;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Sweeps;

public static partial class SweepJson
{
    private const int MaxRandomCount = 100_000;


    /// <summary>
    /// Reads a sweep definition; <paramref name="source"/> (a file name) names it in messages.
    /// <paramref name="options"/>, when given, are the option names a setting may use.
    /// <paramref name="name"/> replaces the file's <c>"name"</c> (one of them is required).
    /// </summary>
    /// <exception cref="GradscopeException">Not valid JSON, not a sweep definition, a newer version, an unknown key or option, or a value out of range; the message names the source and the key.</exception>
    public static SweepDefinition Read(string json, string source, IReadOnlyCollection<string>? options = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonFields.Parse(json, source);
        return Read(new SettingReader(source, options), doc.RootElement, name);
    }

    private static SweepDefinition Read(SettingReader reader, JsonElement element, string? name)
    {
        var root = new JsonFields(element, reader.Source, "", "$schema", "format", "version", "name", "base", "grid", "trials", "random", "seeds");
        if (root.OptionalText("format") != Format)
            throw root.Fail("format", $"must be \"{Format}\": this is not a Gradscope sweep definition");
        int version = root.Integer("version", 1, int.MaxValue, SweepDefinition.FormatVersion);
        if (version > SweepDefinition.FormatVersion)
            throw root.Fail("version", $"is {version}, written by a newer Gradscope; this one reads version {SweepDefinition.FormatVersion}");
        string? fileName = root.OptionalText("name");
        string chosen = name ?? fileName ?? throw root.Fail("name", "is required (or give --name)");
        if (chosen.Trim().Length == 0)
            throw root.Fail("name", "must not be empty");
        return new SweepDefinition
        {
            Name = chosen,
            Base = root.Has("base") ? reader.Settings(root.Required("base"), "base") : [],
            Grid = root.Has("grid") ? reader.Grid(root.Required("grid")) : [],
            Trials = root.Has("trials") ? reader.Trials(root.Required("trials")) : [],
            Random = root.Has("random") ? reader.Random(root.Object("random", "count", "seed", "parameters")) : null,
            Seeds = root.Has("seeds") ? Seeds(root.Required("seeds"), reader.Source) : [1],
        };
    }

    private static IReadOnlyList<int> Seeds(JsonElement value, string source)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int count) && count >= 1 && count <= MaxRandomCount)
        {
            var seeds = new int[count];
            for (int i = 0; i < count; i++)
                seeds[i] = i + 1;
            return seeds;
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
        {
            var seeds = new List<int>();
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int seed))
                    throw new GradscopeException($"{source}: seeds: every seed must be a whole number; found {item.GetRawText()}.");
                if (!seeds.Contains(seed))
                    seeds.Add(seed);
            }

            return seeds;
        }

        throw new GradscopeException($"{source}: seeds: must be a count from 1 to {MaxRandomCount} or a non-empty list of whole numbers; found {value.GetRawText()}.");
    }

    /// <summary>Reads settings, grids and random parameters, checking option names.</summary>
    private sealed class SettingReader(string source, IReadOnlyCollection<string>? options)
    {
        public string Source { get; } = source;

        public List<SweepSetting> Settings(JsonElement element, string path)
        {
            var settings = new List<SweepSetting>();
            foreach (var property in Members(element, path))
                settings.Add(new SweepSetting(property.Name, Scalar(property.Value, $"{path}.{property.Name}")));
            return settings;
        }

        public List<SweepAxis> Grid(JsonElement element)
        {
            var axes = new List<SweepAxis>();
            foreach (var property in Members(element, "grid"))
            {
                string path = $"grid.{property.Name}";
                var values = new List<string>();
                if (property.Value.ValueKind != JsonValueKind.Array)
                    values.Add(Scalar(property.Value, path));
                else
                {
                    foreach (var item in property.Value.EnumerateArray())
                        values.Add(Scalar(item, path));
                }

                if (values.Count == 0)
                    throw new GradscopeException($"{Source}: {path}: must list at least one value.");
                axes.Add(new SweepAxis(property.Name, values));
            }

            return axes;
        }

        public List<IReadOnlyList<SweepSetting>> Trials(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Array)
                throw new GradscopeException($"{Source}: trials: must be a list of objects of settings.");
            var trials = new List<IReadOnlyList<SweepSetting>>();
            foreach (var item in element.EnumerateArray())
                trials.Add(Settings(item, $"trials[{trials.Count}]"));
            return trials;
        }

        public RandomSearch Random(JsonFields random)
        {
            int count = random.Integer("count", 1, MaxRandomCount, 0);
            if (count == 0)
                throw random.Fail("count", "is required");
            var parameters = new List<RandomParameter>();
            foreach (var property in Members(random.Required("parameters"), "random.parameters"))
                parameters.Add(Parameter(property.Name, new JsonFields(property.Value, Source, $"random.parameters.{property.Name}", "uniform", "log-uniform", "choice")));
            if (parameters.Count == 0)
                throw random.Fail("parameters", "must name at least one option");
            return new RandomSearch(count, random.Integer("seed", int.MinValue, int.MaxValue, 1), parameters);
        }

        private RandomParameter Parameter(string option, JsonFields range)
        {
            if (range.Has("choice"))
            {
                var choices = new List<string>();
                foreach (var item in Array(range, "choice"))
                    choices.Add(Scalar(item, $"{range.Path}.choice"));
                if (choices.Count == 0)
                    throw range.Fail("choice", "must list at least one value");
                return new RandomParameter(option, RandomDistribution.Choice, 0, 0, choices);
            }

            bool log = range.Has("log-uniform");
            if (!log && !range.Has("uniform"))
                throw range.Fail("needs one of uniform, log-uniform or choice");
            string key = log ? "log-uniform" : "uniform";
            var bounds = Array(range, key);
            if (bounds.Count != 2 || !Finite(bounds[0], out double low) || !Finite(bounds[1], out double high) || !(low <= high) || (log && !(low > 0)))
                throw range.Fail(key, $"must be [low, high] with low <= high{(log ? " and low > 0" : "")}");
            return new RandomParameter(option, log ? RandomDistribution.LogUniform : RandomDistribution.Uniform, low, high, []);
        }

        private static List<JsonElement> Array(JsonFields fields, string key)
        {
            var value = fields.Required(key);
            if (value.ValueKind != JsonValueKind.Array)
                throw fields.Fail(key, "must be a list");
            return [.. value.EnumerateArray()];
        }

        private static bool Finite(JsonElement value, out double number)
        {
            number = 0;
            return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number) && double.IsFinite(number);
        }

        // An object's members, each checked as an option name (not the seed: "seeds" sets it).
        private List<JsonProperty> Members(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.Object)
                throw new GradscopeException($"{Source}: {path}: must be an object of training options.");
            var members = new List<JsonProperty>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                string where = $"{Source}: {path}.{property.Name}";
                if (!seen.Add(property.Name))
                    throw new GradscopeException($"{where}: the key appears twice.");
                if (property.Name is SweepExpansion.SeedOption or "seeds")
                    throw new GradscopeException($"{where}: seeds are set by the top-level \"seeds\" (a count or a list).");
                if (options is not null && !options.Contains(property.Name))
                    throw new GradscopeException($"{where}: not a training option; expected one of {string.Join(", ", options)}.");
                members.Add(property);
            }

            return members;
        }

        private string Scalar(JsonElement value, string path) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw new GradscopeException($"{Source}: {path}: must be a string, a number or true/false; found {value.GetRawText()}."),
        };
    }
}
