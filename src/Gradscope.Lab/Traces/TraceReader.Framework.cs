using System.Text.Json;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Traces;

public static partial class TraceReader
{
    // The header members a trace written outside Gradscope carries (the PyTorch hook): the
    // framework, the optimizer and the loss module. Absent or null for Gradscope's own traces.
    private static FrameworkInfo? Framework(JsonElement root, LineContext at)
    {
        if (!root.TryGetProperty("framework", out var framework) || framework.ValueKind == JsonValueKind.Null)
            return null;
        if (framework.ValueKind != JsonValueKind.Object)
            throw at.Fail("\"framework\" must be an object ({\"name\": ..., \"version\": ...}) or null");
        var info = new FrameworkInfo(at.Text(framework, "name"), at.OptionalText(framework, "version"))
        {
            LossFunction = at.OptionalText(root, "loss_function"),
        };
        if (!root.TryGetProperty("optimizer", out var optimizer) || optimizer.ValueKind == JsonValueKind.Null)
            return info;
        if (optimizer.ValueKind != JsonValueKind.Object)
            throw at.Fail("\"optimizer\" must be an object ({\"name\", \"learning_rate\", \"settings\"}) or null");
        return info with
        {
            Optimizer = at.Text(optimizer, "name"),
            LearningRate = at.OptionalNumber(optimizer, "learning_rate"),
            OptimizerSettings = NumberMembers(optimizer, "settings", at),
        };
    }

    // A layer's "init" statistics; null when the header has none.
    private static LayerInit? Init(JsonElement layer, LineContext at)
    {
        if (!layer.TryGetProperty("init", out var init) || init.ValueKind == JsonValueKind.Null)
            return null;
        if (init.ValueKind != JsonValueKind.Object)
            throw at.Fail("a layer's \"init\" must be an object of numbers");
        var values = new double[LayerInit.Names.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = at.OptionalNumber(init, LayerInit.Names[i]);
        return LayerInit.From(values);
    }

    private static Dictionary<string, double> NumberMembers(JsonElement obj, string name, LineContext at)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!obj.TryGetProperty(name, out var members) || members.ValueKind == JsonValueKind.Null)
            return values;
        if (members.ValueKind != JsonValueKind.Object)
            throw at.Fail($"\"{name}\" must be an object of numbers");
        foreach (var p in members.EnumerateObject())
            values[p.Name] = at.NumberOrNull(p.Value, $"{name}.{p.Name}");
        return values;
    }
}
