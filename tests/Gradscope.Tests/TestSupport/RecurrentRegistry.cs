using Gradscope.Data.Sequences;
using Gradscope.Layers;
using Gradscope.Recurrent;

namespace Gradscope.Tests.TestSupport;

/// <summary>
/// Every recurrent cell type, each with a small double-precision network (the cell as a
/// <see cref="SequenceLayer{T}"/>, then a dense head) for the gradient check; a reflection test fails when a concrete <see cref="RecurrentLayer{T}"/> has no
/// entry here. ReLU's kink at 0 is met with probability 0 by the random pre-activations; the
/// relu case uses a seed checked to keep every pre-activation at least 1e-3 away from it.
/// </summary>
internal static class RecurrentRegistry
{
    public sealed record Case(string Name, Type CellType, Func<RecurrentLayer<double>> Create)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Case> All { get; } =
    [
        new("rnn-tanh", typeof(SimpleRnn<>), () => new SimpleRnn<double>(3, 4, "tanh")),
        new("rnn-relu", typeof(SimpleRnn<>), () => new SimpleRnn<double>(3, 4, "relu")),
        new("lstm", typeof(Lstm<>), () => new Lstm<double>(3, 4)),
        new("lstm-forget-bias", typeof(Lstm<>), () => new Lstm<double>(3, 4, forgetGateBias: true)),
        new("gru", typeof(Gru<>), () => new Gru<double>(3, 4)),
    ];

    /// <summary>
    /// A fresh cell of case <paramref name="name"/> reading <paramref name="steps"/> steps, then a
    /// dense head of 2 outputs (per step for many-to-many), with PyTorch's initialization from a
    /// fixed seed and scaled-up weights; its input gradient is computed.
    /// </summary>
    public static Sequential<double> Model(string name, SequenceOutput output, int steps, int seed = 3)
    {
        var cell = All.Single(c => c.Name == name).Create();
        var rng = new SeededRandom(seed);
        cell.Initialize(rng);
        var head = new Dense<double>(cell.HiddenSize, 2);
        double bound = 1.0 / Math.Sqrt(cell.HiddenSize);
        foreach (var p in head.Parameters)
        {
            Span<double> values = p.Value.Span;
            for (int i = 0; i < values.Length; i++)
                values[i] = rng.NextUniform(-bound, bound);
        }

        var model = new Sequential<double>([new SequenceLayer<double>(cell, steps, output) { ComputesInputGradient = true }, head]);

        // PyTorch's default U(-1/2, 1/2) at H = 4 is gentle; doubling it makes the gates and the
        // nonlinearities work away from their linear region, where mistakes show.
        foreach (var p in model.Parameters)
        {
            Span<double> v = p.Value.Span;
            for (int i = 0; i < v.Length; i++)
                v[i] *= 2;
        }

        return model;
    }
}
