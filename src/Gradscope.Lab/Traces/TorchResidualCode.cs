using System.Text;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Traces;

/// <summary>
/// The residual remedy as PyTorch code that applies it: each pair of adjacent hidden layers that
/// keep one width, with the activation modules after them, becomes <c>Residual(nn.Sequential(...))</c>
/// in place inside their <c>nn.Sequential</c>, as Gradscope's own residual blocks wrap two dense
/// layers. Layers whose activation is applied as a function in <c>forward()</c>, or that sit in
/// different containers, cannot be rewired from outside: they are named for a hand edit.
/// </summary>
internal static class TorchResidualCode
{
    private const string Definitions =
        "class Residual(nn.Module):\n" +
        "    \"\"\"x + body(x): the identity path carries the gradient past the body.\"\"\"\n" +
        "    def __init__(self, body):\n" +
        "        super().__init__()\n" +
        "        self.body = body\n\n" +
        "    def forward(self, x):\n" +
        "        return x + self.body(x)\n\n\n" +
        "def wrap_in_residual(model, first, last):\n" +
        "    \"\"\"Replaces the modules first..last, children of one nn.Sequential, by Residual(nn.Sequential(them)).\"\"\"\n" +
        "    parent, _, a = first.rpartition(\".\")\n" +
        "    b = last.rpartition(\".\")[2]\n" +
        "    owner = model.get_submodule(parent) if parent else model\n" +
        "    if not isinstance(owner, nn.Sequential):\n" +
        "        raise TypeError(f\"{first}..{last}: not in an nn.Sequential; add the skip in forward() instead\")\n" +
        "    children = list(owner.named_children())\n" +
        "    names = [n for n, _ in children]\n" +
        "    i, j = names.index(a), names.index(b)\n" +
        "    block = Residual(nn.Sequential(*[m for _, m in children[i:j + 1]]))\n" +
        "    for n in names:\n" +
        "        delattr(owner, n)\n" +
        "    for n, m in children[:i] + [(a, block)] + children[j + 1:]:\n" +
        "        owner.add_module(n, m)\n\n\n";

    /// <summary>The code for the hidden <c>Linear</c> layers <paramref name="hidden"/>, in trace order.</summary>
    public static string For(IReadOnlyList<RecordedLayer> hidden)
    {
        var pairs = new List<string>();
        var byHand = new List<string>();
        for (int i = 0; i + 1 < hidden.Count;)
        {
            var (a, b) = (hidden[i], hidden[i + 1]);
            if (!KeepsWidth(a, b))
            {
                i++;
                continue;
            }

            if (Wrappable(a, b))
                pairs.Add($"({Quoted(a.Layer.Name)}, {Quoted(b.ActivationModule!)})");
            else
                byHand.Add($"{a.Layer.Name} and {b.Layer.Name}");
            i += 2;
        }

        var code = new StringBuilder(Definitions);
        if (pairs.Count > 0)
        {
            code.Append("# each pair of same-width layers, with their activations, becomes one residual block\n");
            code.Append("for first, last in [").Append(string.Join(", ", pairs)).Append("]:\n");
            code.Append("    wrap_in_residual(model, first, last)\n");
        }

        if (byHand.Count > 0)
            code.Append("# in forward(), add the skip by hand (x = x + block(x)) around ").Append(string.Join("; ", byHand)).Append(": their activations are functions or they sit in different containers\n");
        if (pairs.Count == 0 && byHand.Count == 0)
            code.Append("# no two adjacent hidden layers keep their width: add projections first, then wrap pairs of layers, with their activations, in Residual(nn.Sequential(...))\n");
        return code.ToString();
    }

    // x + body(x) needs the body to map a width onto itself.
    private static bool KeepsWidth(RecordedLayer a, RecordedLayer b) =>
        b.Layer.Number == a.Layer.Number + 1 && a.Inputs == a.Units && b.Inputs == b.Units && a.Units == b.Units;

    // The two layers and their activation modules are children of one container, in forward order.
    private static bool Wrappable(RecordedLayer a, RecordedLayer b)
    {
        if (a.ActivationModule is not { } first || b.ActivationModule is not { } second)
            return false;
        string parent = Parent(a.Layer.Name);
        return Parent(first) == parent && Parent(b.Layer.Name) == parent && Parent(second) == parent;
    }

    private static string Quoted(string path) => TorchSnippets.List([path])[1..^1];

    private static string Parent(string path)
    {
        int dot = path.LastIndexOf('.');
        return dot < 0 ? "" : path[..dot];
    }
}
