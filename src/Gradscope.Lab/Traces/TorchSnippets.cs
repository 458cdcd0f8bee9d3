using System.Globalization;
using System.Text;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Traces;

/// <summary>The longer PyTorch snippets of <see cref="TorchRemedyCode"/>: recurrent cells (residual blocks: <see cref="TorchResidualCode"/>).</summary>
internal static class TorchSnippets
{
    /// <summary>A Python list of module paths: <c>["net.0", "net.2"]</c>.</summary>
    public static string List(IReadOnlyList<string> names)
    {
        var quoted = new List<string>(names.Count);
        foreach (string name in names)
            quoted.Add("\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"");
        return "[" + string.Join(", ", quoted) + "]";
    }

    public static string RecurrentSwap(IReadOnlyList<RecordedLayer> layers, string cell, double? forgetBias)
    {
        var code = new StringBuilder();
        code.Append("for name in ").Append(List(Names(layers))).Append(":\n");
        code.Append("    parent, _, child = name.rpartition(\".\")\n");
        code.Append("    owner = model.get_submodule(parent) if parent else model\n");
        code.Append("    old = getattr(owner, child)\n");
        code.Append("    new = nn.").Append(cell).Append("(old.input_size, old.hidden_size, num_layers=old.num_layers, batch_first=old.batch_first)\n");
        if (forgetBias is { } bias)
            code.Append(ForgetGateLines("new", bias, "    "));
        code.Append("    setattr(owner, child, new)\n");
        if (cell == "LSTM")
            code.Append("# nn.LSTM returns (output, (h, c)) where nn.RNN returns (output, h): unpack h in forward()\n");
        return code.ToString();
    }

    public static string ForgetBias(IReadOnlyList<RecordedLayer> layers, double bias) =>
        "for name in " + List(Names(layers)) + ":\n" +
        "    lstm = model.get_submodule(name)\n" +
        ForgetGateLines("lstm", bias, "    ");

    // PyTorch orders an LSTM's gates i, f, g, o: the forget gate's bias is the second quarter of bias_ih.
    private static string ForgetGateLines(string module, double bias, string indent) =>
        indent + "with torch.no_grad():\n" +
        indent + "    for p_name, p in " + module + ".named_parameters():\n" +
        indent + "        if p_name.startswith(\"bias\"):\n" +
        indent + "            n = " + module + ".hidden_size\n" +
        indent + "            p[n:2 * n].fill_(" + bias.ToString("0.0", CultureInfo.InvariantCulture) + " if p_name.startswith(\"bias_ih\") else 0.0)  # forget gate (gates i, f, g, o)\n";

    private static List<string> Names(IReadOnlyList<RecordedLayer> layers)
    {
        var names = new List<string>(layers.Count);
        foreach (var layer in layers)
            names.Add(layer.Layer.Name);
        return names;
    }
}
