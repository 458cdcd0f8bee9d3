using Gradscope.Data.Sequences;
using Gradscope.Recurrent;

namespace Gradscope.Tests.TestSupport;

/// <summary>
/// Every recurrent cell type, each with a small double-precision model and input for the sequence
/// gradient check; a reflection test fails when a concrete <see cref="RecurrentLayer{T}"/> has no
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

    /// <summary>A model around a fresh cell of case <paramref name="name"/>, initialized with a fixed seed and scaled-up weights.</summary>
    public static SequenceModel<double> Model(string name, SequenceOutput output, int seed = 3)
    {
        var cell = All.Single(c => c.Name == name).Create();
        var model = new SequenceModel<double>(cell, 2, output);
        model.Initialize(new SeededRandom(seed));

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
