using System.Text.Json;
using Gradscope.Activations;
using Gradscope.Data.Sequences;
using Gradscope.Initialization;

namespace Gradscope.Training;

/// <summary>
/// The JSON model spec: a network's hidden layers for what the command-line flags cannot say.
/// <code>
/// {
///   "input": 2,                                  optional; must match the data's features
///   "layers": [
///     {"type": "dense", "units": 32},            a Linear layer of 32 outputs
///     {"type": "batchnorm"},                     BatchNorm1d over the current width
///     {"type": "layernorm"},                     LayerNorm over the current width
///     {"type": "activation", "name": "relu"},    any activation name --activation takes
///     {"type": "dropout", "p": 0.1},             p in [0, 1)
///     {"type": "residual", "layers": [...]}      x + F(x), F = the inner layers; a projection
///   ],                                           Linear joins the skip path when F changes the width
///   "output": 3                                  optional; must match the data's classes
/// }
/// </code>
/// Every layer may carry <c>"module"</c>, its module path in a PyTorch state dict, whole from the
/// root (<c>"net.0"</c>, <c>"encoder.fc1"</c>; a residual block's path prefixes its <c>body</c> and
/// <c>proj</c>), so a model saved from PyTorch loads by its own tensor names; a layer without one is
/// named by its index. A dense layer may carry <c>"init"</c>, its own initializer (any
/// <c>--init</c> value). <c>"output"</c> is the number of outputs or <c>{"units": 3, "module": "head"}</c>.
/// The output dense layer (the logits) is added after <c>layers</c>, as with the flags. Comments and
/// trailing commas are allowed; unknown keys and types are errors. Model files store the spec this
/// way too, with <c>"type": "spec"</c> added at the top.
/// </summary>
public static partial class ModelSpecJson
{
    /// <summary>The top-level <c>"type"</c> a model file's architecture metadata carries for a spec.</summary>
    public const string SpecType = "spec";

    private const int MaxSize = 1_000_000;
    private const string Types = "dense, batchnorm, layernorm, activation, dropout, residual, rnn, lstm or gru";
    private const string ModuleKey = "module";

    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Parses and checks a model spec; <paramref name="source"/> names it in messages (a file name).</summary>
    /// <exception cref="GradscopeException">The text is not valid JSON or not a valid spec; the message says where and what.</exception>
    public static ModelSpecDocument Parse(string json, string source = "model spec")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            throw new GradscopeException($"{source}: not valid JSON: {ex.Message}", ex);
        }

        using (doc)
            return ParseRoot(doc.RootElement, source);
    }

    private static ModelSpecDocument ParseRoot(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Error(source, "", $"a model spec is a JSON object like {{\"layers\": [...]}}; found {Describe(root)}");
        CheckKeys(root, source, "", "the model spec", "type", "input", "layers", "output");
        if (root.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.GetString() == SpecType))
            throw Error(source, "", $"\"type\" must be \"{SpecType}\" when present; found {type.GetRawText()}");
        int? input = root.TryGetProperty("input", out var i) ? Size(i, source, "", "input") : null;
        var (output, outputModule) = root.TryGetProperty("output", out var o) ? ParseOutput(o, source) : (null, null);
        if (!root.TryGetProperty("layers", out var layers))
            throw Error(source, "", "the model spec has no \"layers\" array");
        var modules = new HashSet<string>(StringComparer.Ordinal);
        if (outputModule is not null)
            modules.Add(outputModule);
        var parsed = ParseLayers(layers, source, "layers", allowEmpty: true, modules);
        return new ModelSpecDocument(input, parsed, output) { OutputModule = outputModule };
    }

    private static (int? Units, string? Module) ParseOutput(JsonElement output, string source)
    {
        if (output.ValueKind != JsonValueKind.Object)
            return (Size(output, source, "", "output"), null);
        CheckKeys(output, source, "output", "the output layer", "units", ModuleKey);
        int? units = output.TryGetProperty("units", out var u) ? Size(u, source, "output", "units") : null;
        return (units, ParseModule(output, source, "output"));
    }

    private static List<LayerSpec> ParseLayers(JsonElement array, string source, string path, bool allowEmpty, HashSet<string> modules)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw Error(source, path, $"must be an array of layers; found {Describe(array)}");
        if (!allowEmpty && array.GetArrayLength() == 0)
            throw Error(source, path, "a residual block needs at least one layer");
        var result = new List<LayerSpec>();
        int index = 0;
        foreach (var element in array.EnumerateArray())
        {
            string at = $"{path}[{index++}]";
            var layer = ParseLayer(element, source, at, modules);

            // allowEmpty marks the top-level list; a residual body must not be empty.
            if (RecurrentSpec.PlacementError([.. result, layer], index - 1, top: allowEmpty) is { } misplaced)
                throw Error(source, at, misplaced);
            if (ParseModule(element, source, at) is { } module)
            {
                if (!modules.Add(module))
                    throw Error(source, at, $"the module path \"{module}\" is given to another layer too; each layer's path is its own");
                layer = layer with { Module = module };
            }

            result.Add(layer);
        }

        return result;
    }

    // One case per layer type; each lists its own keys besides "type" and "module".
    private static LayerSpec ParseLayer(JsonElement layer, string source, string path, HashSet<string> modules)
    {
        if (layer.ValueKind != JsonValueKind.Object)
            throw Error(source, path, $"a layer is an object like {{\"type\": \"dense\", \"units\": 32}}; found {Describe(layer)}");
        if (!layer.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            throw Error(source, path, $"a layer needs a \"type\" string: {Types}");
        string type = typeElement.GetString()!;
        switch (type.ToLowerInvariant())
        {
            case "dense":
                CheckKeys(layer, source, path, "a dense layer", "type", ModuleKey, "units", "init");
                if (!layer.TryGetProperty("units", out var units))
                    throw Error(source, path, "a dense layer needs \"units\"");
                return new DenseSpec(Size(units, source, path, "units")) { Init = ParseInit(layer, source, path) };
            case "batchnorm":
                CheckKeys(layer, source, path, "a batchnorm layer", "type", ModuleKey);
                return new NormSpec(NormKind.Batch);
            case "layernorm":
                CheckKeys(layer, source, path, "a layernorm layer", "type", ModuleKey);
                return new NormSpec(NormKind.Layer);
            case "activation":
                CheckKeys(layer, source, path, "an activation layer", "type", ModuleKey, "name");
                return new ActivationSpec(ParseActivation(layer, source, path));
            case "dropout":
                CheckKeys(layer, source, path, "a dropout layer", "type", ModuleKey, "p");
                return new DropoutSpec(ParseProbability(layer, source, path));
            case "residual":
                CheckKeys(layer, source, path, "a residual block", "type", ModuleKey, "layers");
                if (!layer.TryGetProperty("layers", out var inner))
                    throw Error(source, path, "a residual block needs a \"layers\" array (its body)");
                return new ResidualSpec(ParseLayers(inner, source, path + ".layers", allowEmpty: false, modules));
            case "rnn" or "lstm" or "gru":
                return ParseRecurrent(layer, type.ToLowerInvariant(), source, path);
            default:
                throw Error(source, path, $"unknown layer type '{type}'; expected {Types}");
        }
    }

    private static RecurrentSpec ParseRecurrent(JsonElement layer, string cell, string source, string path)
    {
        if (cell == "rnn")
            CheckKeys(layer, source, path, "an rnn layer", "type", ModuleKey, "hidden", "sequence", "activation");
        else
            CheckKeys(layer, source, path, $"an {cell} layer", "type", ModuleKey, "hidden", "sequence", "forget_bias", "input_bias");
        if (!layer.TryGetProperty("hidden", out var hidden))
            throw Error(source, path, $"an {cell} layer needs \"hidden\", its number of hidden units");
        int units = Size(hidden, source, path, "hidden");
        var sequence = SequenceOutput.ManyToOne;
        if (layer.TryGetProperty("sequence", out var s))
        {
            if (s.ValueKind != JsonValueKind.String || s.GetString() is not ("last" or "all"))
                throw Error(source, path, $"\"sequence\" must be \"last\" (the last hidden state) or \"all\" (every step); got {s.GetRawText()}");
            sequence = RecurrentSpec.ParseSequence(s.GetString()!);
        }

        string nonlinearity = "tanh";
        if (layer.TryGetProperty("activation", out var a))
        {
            if (a.ValueKind != JsonValueKind.String || a.GetString() is not ("tanh" or "relu"))
                throw Error(source, path, $"an rnn layer's \"activation\" must be \"tanh\" or \"relu\"; got {a.GetRawText()}");
            nonlinearity = a.GetString()!;
        }

        return new RecurrentSpec(cell, units, sequence, nonlinearity)
        {
            ForgetBias = GateBias(layer, "forget_bias", source, path),
            InputBias = GateBias(layer, "input_bias", source, path),
        };
    }

    private static double? GateBias(JsonElement layer, string key, string source, string path)
    {
        if (!layer.TryGetProperty(key, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double bias) || !double.IsFinite(bias))
            throw Error(source, path, $"\"{key}\" must be a number; got {value.GetRawText()}");
        return bias;
    }

    private static string? ParseModule(JsonElement layer, string source, string path)
    {
        if (!layer.TryGetProperty(ModuleKey, out var module))
            return null;
        if (module.ValueKind != JsonValueKind.String)
            throw Error(source, path, $"\"{ModuleKey}\" must be a string, the layer's module path in the state dict (e.g. \"net.0\"); got {module.GetRawText()}");
        try
        {
            return Layers.ModulePath.Check(module.GetString()!);
        }
        catch (GradscopeException ex)
        {
            throw Error(source, path, char.ToLowerInvariant(ex.Message[0]) + ex.Message[1..].TrimEnd('.'));
        }
    }

    private static Initializer? ParseInit(JsonElement layer, string source, string path)
    {
        if (!layer.TryGetProperty("init", out var init))
            return null;
        if (init.ValueKind != JsonValueKind.String)
            throw Error(source, path, $"\"init\" must be a string such as \"he-normal\"; got {init.GetRawText()}");
        try
        {
            return Initializer.Parse(init.GetString()!);
        }
        catch (GradscopeException ex)
        {
            throw Error(source, path, "\"init\": " + ex.Message.TrimEnd('.'));
        }
    }

    private static Activation ParseActivation(JsonElement layer, string source, string path)
    {
        if (!layer.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            throw Error(source, path, "an activation layer needs a \"name\" string, e.g. \"relu\"");
        if (Activation.TryParse(name.GetString(), out var activation))
            return activation;
        throw Error(source, path, $"unknown activation '{name.GetString()}'; valid activations: {string.Join(", ", Activation.Names)}");
    }

    private static double ParseProbability(JsonElement layer, string source, string path)
    {
        if (!layer.TryGetProperty("p", out var p))
            throw Error(source, path, "a dropout layer needs \"p\", the drop probability in [0, 1)");
        if (p.ValueKind == JsonValueKind.Number && p.TryGetDouble(out double value) && value is >= 0 and < 1)
            return value;
        throw Error(source, path, $"\"p\" must be a number in [0, 1); got {p.GetRawText()}");
    }

    private static int Size(JsonElement element, string source, string path, string key)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value) && value is >= 1 and <= MaxSize)
            return value;
        throw Error(source, path, $"\"{key}\" must be a whole number from 1 to {MaxSize}; got {element.GetRawText()}");
    }

    private static void CheckKeys(JsonElement element, string source, string path, string what, params string[] allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
                throw Error(source, path, $"unknown key \"{property.Name}\" for {what}; expected {string.Join(", ", Quote(allowed))}");
            if (!seen.Add(property.Name))
                throw Error(source, path, $"key \"{property.Name}\" appears twice");
        }
    }

    private static IEnumerable<string> Quote(string[] names)
    {
        foreach (string name in names)
            yield return "\"" + name + "\"";
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static GradscopeException Error(string source, string path, string message) =>
        new(path.Length == 0 ? $"{source}: {message}." : $"{source}: {path}: {message}.");
}

/// <summary>A parsed model spec: the optional input and output sizes and the hidden layers.</summary>
public sealed record ModelSpecDocument(int? Input, IReadOnlyList<LayerSpec> Layers, int? Output)
{
    /// <summary>The output dense layer's module path, or null to name it by its index.</summary>
    public string? OutputModule { get; init; }

    /// <summary>The first activation of the layout, depth-first, or null when it has none.</summary>
    public Activation? FirstActivation => NetworkSpec.FirstActivation(Layers);
}
