using Gradscope.Activations;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Tests.TestSupport;

/// <summary>
/// Every layer type Gradscope has, with a small double-precision instance and an input that keeps
/// away from kinks. The gradient-check test runs over this registry, and a reflection test fails
/// when a concrete <see cref="ILayer{T}"/> in the engine has no entry here.
/// </summary>
internal static partial class LayerRegistry
{
    public sealed record Case(string Name, Type LayerType, Func<ILayer<double>> Create, Func<Matrix<double>> Input)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Case> All { get; } = Build();

    private static List<Case> Build()
    {
        var cases = new List<Case>
        {
            new("dense", typeof(Dense<>), () => RandomDense(5, 4, seed: 1), () => GradientCheck.RandomInput(3, 5, seed: 2)),
            new("sequential", typeof(Sequential<>), SmallNetwork, () => GradientCheck.RandomInput(4, 3, seed: 3)),
        };
        foreach (var activation in Activation.All)
        {
            var a = activation;
            cases.Add(new($"activation:{a.Name}", typeof(ActivationLayer<,>), () => a.CreateLayer<double>(6), () => ActivationInput(a)));
        }

        AddRemedies(cases);
        foreach (var output in new[] { Gradscope.Data.Sequences.SequenceOutput.ManyToOne, Gradscope.Data.Sequences.SequenceOutput.ManyToMany })
        {
            var o = output;
            cases.Add(new($"sequence:lstm:{o}", typeof(Gradscope.Recurrent.SequenceLayer<>), () => Sequence("lstm", o), () => GradientCheck.RandomInput(3, 8, seed: 13)));
        }

        return cases;
    }

    // Kinks of the piecewise activations sit at 0 (ReLU family, ELU, SELU) and +-1 (hard-tanh).
    private static Matrix<double> ActivationInput(Activation a) =>
        GradientCheck.RandomInput(4, 6, seed: 11, std: 2.0, kinkMargin: 1e-2, 0.0, 1.0, -1.0);

    private static Gradscope.Recurrent.SequenceLayer<double> Sequence(string cell, Gradscope.Data.Sequences.SequenceOutput output)
    {
        var layer = new Gradscope.Training.RecurrentSpec(cell, 3, output).Create<double>(features: 2, steps: 4);
        layer.Cell.Initialize(new SeededRandom(12));
        return layer;
    }

    public static Dense<double> RandomDense(int inputs, int outputs, int seed)
    {
        var dense = new Dense<double>(inputs, outputs);
        var rng = new SeededRandom(seed);
        foreach (var p in dense.Parameters)
        {
            for (int i = 0; i < p.Value.Length; i++)
                p.Value.Span[i] = rng.NextGaussian(0, 0.5);
        }

        return dense;
    }

    private static Sequential<double> SmallNetwork() => new(
    [
        RandomDense(3, 5, seed: 4),
        Activation.Parse("tanh").CreateLayer<double>(5),
        RandomDense(5, 4, seed: 5),
        Activation.Parse("softplus").CreateLayer<double>(4),
        RandomDense(4, 2, seed: 6),
    ]);
}
