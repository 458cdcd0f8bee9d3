using System.Text;
using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Traces;

/// <summary>
/// Reads a trace file (format v2, and v1 as Gradscope wrote it before) into a <see cref="RunRecord"/>.
/// A last line cut short (no newline, not valid JSON: a writer killed mid-line) is left out; any
/// other malformed line is an error naming the file and the line. A trace without an <c>end</c>
/// line is <see cref="RunStatus.Running"/> (still running, or its writer was killed); lines of an
/// unknown <c>type</c> are skipped, so newer writers may add kinds of lines.
/// </summary>
public static partial class TraceReader
{
    // A binary file (or one in another encoding) is not a trace: say so, rather than let the
    // decoder's exception through (it reads ahead a block at a time, so no line number is given).
    private static bool NextLine(TraceLineSource lines, string source, out string line, out bool terminated)
    {
        try
        {
            return lines.Next(out line, out terminated);
        }
        catch (DecoderFallbackException)
        {
            throw new GradscopeException($"{source}: not a Gradscope trace: it is not UTF-8 text (a binary file?).");
        }
    }

    /// <summary>Reads the trace file at <paramref name="path"/>.</summary>
    /// <exception cref="GradscopeException">The file cannot be read or is not a trace; the message names it and the line.</exception>
    public static RunRecord Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            return Read(stream, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GradscopeException($"{path}: cannot read the trace: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a trace from <paramref name="stream"/>; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="GradscopeException">Not a trace, a newer version, or a malformed line; the message names the source and the line.</exception>
    public static RunRecord Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var text = new StreamReader(stream, new UTF8Encoding(false, true), false, 1 << 16, leaveOpen: true);
        var lines = new TraceLineSource(text);
        State? state = null;
        while (NextLine(lines, source, out string line, out bool terminated))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var at = new LineContext(source, lines.Number);
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                if (!terminated && state is not null)
                    break;
                throw at.Fail($"not valid JSON ({ex.Message})");
            }

            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw at.Fail("each line must be a JSON object");
                string type = at.Text(root, "type");
                if (state is null)
                    state = type == "header" ? Header(root, at) : throw at.Fail($"the first line must be the header (\"type\": \"header\"); found \"{type}\": is this a Gradscope trace?");
                else
                    state.Apply(type, root, at);
            }
        }

        return state?.ToRecord() ?? throw new GradscopeException($"{source}: empty file; a trace starts with its header line.");
    }

    private static State Header(JsonElement root, LineContext at)
    {
        if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != TraceLines.Format)
            throw at.Fail($"\"format\" must be \"{TraceLines.Format}\": this is not a Gradscope trace");
        int version = at.Integer(root, "version");
        if (version is < 1 or > TraceLines.Version)
            throw at.Fail($"trace version {version} is not supported; this Gradscope reads versions 1 to {TraceLines.Version}");
        string activation = at.OptionalText(root, "activation") ?? "identity";
        var layers = version == 1 ? LayersV1(root, at, activation) : LayersV2(root, at);
        var names = new string[layers.Count];
        var inputs = new int[layers.Count];
        var units = new int[layers.Count];
        for (int i = 0; i < layers.Count; i++)
            (names[i], inputs[i], units[i]) = (layers[i].Layer.Name, layers[i].Inputs, layers[i].Units);
        var trace = new Trace(names, inputs, units, activation);
        var record = new RunRecord
        {
            Id = at.OptionalText(root, "id") ?? "",
            Name = at.OptionalText(root, "name"),
            Kind = at.OptionalText(root, "kind") ?? "train",
            Tags = at.OptionalStrings(root, "tags"),
            ParentId = at.OptionalText(root, "parent_id"),
            Started = at.OptionalTime(root, "started") ?? DateTimeOffset.MinValue,
            Version = at.OptionalText(root, "gradscope_version"),
            Host = at.OptionalText(root, "host"),
            Spec = root.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object ? RunSpecJson.Read(spec, $"{at}: spec") : null,
            Data = Data(root, at),
            Trace = trace,
            Layers = layers,
            Status = version == 1 ? RunStatus.Completed : RunStatus.Running,
            Framework = Framework(root, at),
        };
        return new State(record, version);
    }

    private static List<RecordedLayer> LayersV2(JsonElement root, LineContext at)
    {
        var layers = new List<RecordedLayer>();
        foreach (var layer in at.Array(root, "layers"))
        {
            layers.Add(new RecordedLayer(
                new LayerRef(at.Integer(layer, "layer"), at.Text(layer, "name")),
                at.OptionalText(layer, "kind") ?? "dense",
                at.OptionalText(layer, "activation") ?? "identity",
                at.Integer(layer, "inputs"),
                at.Integer(layer, "units"))
            {
                ModuleKind = at.OptionalText(layer, "module_kind"),
                ActivationModule = at.OptionalText(layer, "activation_module"),
                Init = Init(layer, at),
            });
        }

        return layers;
    }

    // Version 1 kept fan-in and fan-out in arrays beside the layer list and one hidden activation.
    private static List<RecordedLayer> LayersV1(JsonElement root, LineContext at, string activation)
    {
        var list = at.Array(root, "layers");
        var inputs = at.Array(root, "inputs");
        var widths = at.Array(root, "widths");
        if (inputs.Count != list.Count || widths.Count != list.Count)
            throw at.Fail($"\"inputs\" and \"widths\" must have one entry per layer ({list.Count})");
        var layers = new List<RecordedLayer>();
        for (int i = 0; i < list.Count; i++)
        {
            string name = list[i].ValueKind == JsonValueKind.Object ? at.Text(list[i], "name") : list[i].GetString() ?? "";
            layers.Add(new RecordedLayer(new LayerRef(i + 1, name), "dense", i == list.Count - 1 ? "identity" : activation, inputs[i].GetInt32(), widths[i].GetInt32()));
        }

        return layers;
    }

    private static DataIdentity? Data(JsonElement root, LineContext at)
    {
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return null;
        long? size = data.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
        return new DataIdentity(at.Text(data, "name"), at.OptionalText(data, "path"), size, at.OptionalText(data, "sha256"));
    }
}
