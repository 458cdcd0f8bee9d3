using System.Globalization;
using System.Text;

namespace Gradscope.Cli.Tests.Traces;

/// <summary>
/// Traces as the PyTorch hook (gradscope_torch) writes them, from C#: a header with the framework,
/// optimizer, module kinds, activation modules and init statistics, then step lines whose numbers
/// follow a chosen per-layer profile, so the diagnosis of a PyTorch run is tested without Python.
/// </summary>
internal static class HookTraces
{
    /// <summary>One traced layer; <paramref name="ActivationModule"/> null for a functional activation or the head.</summary>
    public sealed record Layer(string Name, string Kind, string ModuleKind, string Activation, string? ActivationModule, int Inputs, int Units, double Gain);

    /// <summary>A Sequential MLP: Linear at net.0, net.2, ..., each followed by its activation module, then the head (identity).</summary>
    public static List<Layer> Mlp(int hidden, int width, int inputs, int outputs, string activation, double gain)
    {
        var layers = new List<Layer>();
        for (int i = 0; i < hidden; i++)
            layers.Add(new Layer($"net.{2 * i}", "dense", "Linear", activation, $"net.{(2 * i) + 1}", i == 0 ? inputs : width, width, gain));
        layers.Add(new Layer($"net.{2 * hidden}", "dense", "Linear", "identity", null, width, outputs, 1 / Math.Sqrt(3)));
        return layers;
    }

    /// <summary>
    /// Writes the trace: <paramref name="steps"/> steps where layer l's delta_rms is
    /// <c>0.01 * factor^(last - l)</c> (a factor below 1 vanishes toward the input), the update ratio
    /// follows the gradient, and the head has no activation statistics (null), as the hook writes it.
    /// With <paramref name="every"/> k, the recorded steps are numbered 0, k, 2k, ... as the hook's
    /// <c>every=k</c> numbers them; <paramref name="events"/> are written before the end line.
    /// </summary>
    public static string Write(string path, IReadOnlyList<Layer> layers, int steps, double factor, bool end = true, double saturated = 0.05, double dead = 0.02, int every = 1, string[]? events = null)
    {
        var text = new StringBuilder();
        text.Append(Header(layers)).Append('\n');
        for (int s = 0; s < steps; s++)
            text.Append(Step(layers, s * every, factor, saturated, dead)).Append('\n');
        foreach (string line in events ?? [])
            text.Append(line).Append('\n');
        if (end)
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"end\",\"status\":\"completed\",\"steps\":{steps * every},\"loss\":1.0}}\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>delta_rms of layer <paramref name="layer"/> of <paramref name="count"/> in a trace written with <paramref name="factor"/>.</summary>
    public static double DeltaRms(int layer, int count, double factor) => 0.01 * Math.Pow(factor, count - 1 - layer);

    /// <summary>grad_rms as the fixtures write it: half of delta_rms.</summary>
    public static double GradRms(int layer, int count, double factor) => 0.5 * DeltaRms(layer, count, factor);

    public static string Header(IReadOnlyList<Layer> layers)
    {
        var list = new List<string>();
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            double std = layer.Gain / Math.Sqrt(layer.Inputs);
            string module = layer.ActivationModule is null ? "null" : $"\"{layer.ActivationModule}\"";
            list.Add(string.Create(CultureInfo.InvariantCulture, $"{{\"layer\":{l + 1},\"name\":\"{layer.Name}\",\"kind\":\"{layer.Kind}\",\"activation\":\"{layer.Activation}\",\"inputs\":{layer.Inputs},\"units\":{layer.Units},") +
                string.Create(CultureInfo.InvariantCulture, $"\"module_kind\":\"{layer.ModuleKind}\",\"activation_module\":{module},\"init\":{{\"weight_mean\":0.0,\"weight_std\":{std:R},\"fan_in\":{layer.Inputs},\"fan_out\":{layer.Units},\"gain\":{layer.Gain:R},\"bias_mean\":0.0,\"bias_std\":null}}}}"));
        }

        return "{\"type\":\"header\",\"format\":\"gradscope-trace\",\"version\":2,\"id\":null,\"name\":\"torch-fixture\",\"kind\":\"torch\",\"tags\":[]," +
            "\"started\":\"2026-01-01T00:00:00Z\",\"gradscope_version\":null,\"host\":\"test\",\"spec\":null,\"data\":null," +
            $"\"activation\":\"{layers[0].Activation}\",\"layers\":[{string.Join(",", list)}]," +
            "\"stats\":[\"grad_norm\",\"grad_rms\",\"bias_grad_norm\",\"delta_rms\",\"act_mean\",\"act_std\",\"saturated\",\"dead\",\"weight_norm\",\"update_ratio\",\"non_finite\"]," +
            "\"framework\":{\"name\":\"pytorch\",\"version\":\"1.13.1\"},\"optimizer\":{\"name\":\"SGD\",\"learning_rate\":0.1,\"settings\":{\"momentum\":0.0,\"weight_decay\":0.0}},\"loss_function\":\"CrossEntropyLoss\"}";
    }

    private static string Step(IReadOnlyList<Layer> layers, int step, double factor, double saturated, double dead)
    {
        int n = layers.Count;
        string Row(Func<int, double?> value)
        {
            var cells = new string[n];
            for (int l = 0; l < n; l++)
                cells[l] = value(l) is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
            return "[" + string.Join(",", cells) + "]";
        }

        bool HasAct(int l) => layers[l].ActivationModule is not null;
        return Invariant($"{{\"type\":\"step\",\"step\":{step},\"loss\":{1.0 - (0.001 * step):R},\"learning_rate\":0.1,\"wall_seconds\":{0.01 * step:R},") +
            $"\"grad_norm\":{Row(l => GradRms(l, n, factor) * Math.Sqrt(layers[l].Inputs * layers[l].Units))}," +
            $"\"grad_rms\":{Row(l => GradRms(l, n, factor))}," +
            $"\"bias_grad_norm\":{Row(l => DeltaRms(l, n, factor))}," +
            $"\"delta_rms\":{Row(l => DeltaRms(l, n, factor))}," +
            $"\"act_mean\":{Row(l => HasAct(l) ? 0.1 : null)}," +
            $"\"act_std\":{Row(l => HasAct(l) ? 0.5 : null)}," +
            $"\"saturated\":{Row(l => HasAct(l) ? saturated : null)}," +
            $"\"dead\":{Row(l => HasAct(l) ? dead : null)}," +
            $"\"weight_norm\":{Row(l => layers[l].Gain * Math.Sqrt(layers[l].Units))}," +
            $"\"update_ratio\":{Row(l => 0.1 * DeltaRms(l, n, factor))}," +
            $"\"non_finite\":{Row(_ => 0)}}}";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
