using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Tests.TestSupport;

/// <summary>
/// The normalization, dropout and residual layers. All run in training mode: batch norm through its
/// batch statistics, dropout with <see cref="Dropout{T}.MaskFrozen"/> set so that every forward pass
/// of the finite differences reuses the mask the first one drew (the layer is then linear in its
/// input, with the mask as its slope).
/// </summary>
internal static partial class LayerRegistry
{
    private static void AddRemedies(List<Case> cases)
    {
        cases.Add(new("batchnorm", typeof(BatchNorm<>), () => WithRandomAffine(new BatchNorm<double>(4), seed: 21), () => GradientCheck.RandomInput(5, 4, seed: 22, std: 1.5)));
        cases.Add(new("layernorm", typeof(LayerNorm<>), () => WithRandomAffine(new LayerNorm<double>(5), seed: 23), () => GradientCheck.RandomInput(3, 5, seed: 24, std: 1.5)));
        cases.Add(new("dropout", typeof(Dropout<>), () => new Dropout<double>(6, 0.4, seed: 25) { MaskFrozen = true }, () => GradientCheck.RandomInput(4, 6, seed: 26)));
        cases.Add(new("residual:identity", typeof(Residual<>), IdentityResidual, () => GradientCheck.RandomInput(4, 4, seed: 27)));
        cases.Add(new("residual:projection", typeof(Residual<>), ProjectedResidual, () => GradientCheck.RandomInput(4, 3, seed: 28)));
        cases.Add(new("residual:pre-activation-batchnorm", typeof(Residual<>), PreActivationResidual, () => GradientCheck.RandomInput(6, 4, seed: 29)));
        cases.Add(new("network:residual-batchnorm", typeof(Sequential<>), () => BuiltNetwork(NormKind.Batch), () => GradientCheck.RandomInput(6, 3, seed: 30)));
        cases.Add(new("network:residual-layernorm-post", typeof(Sequential<>), () => BuiltNetwork(NormKind.Layer, ResidualStyle.PostActivation), () => GradientCheck.RandomInput(6, 3, seed: 31)));
    }

    // gamma and beta away from 1 and 0, so a mix-up between them shows.
    private static TLayer WithRandomAffine<TLayer>(TLayer layer, int seed)
        where TLayer : ILayer<double>
    {
        var rng = new SeededRandom(seed);
        foreach (var p in layer.Parameters)
        {
            for (int i = 0; i < p.Value.Length; i++)
                p.Value.Span[i] = rng.NextGaussian(p.IsBias ? 0 : 1, 0.5);
        }

        return layer;
    }

    private static Residual<double> IdentityResidual() => new(new Sequential<double>(
    [
        RandomDense(4, 6, seed: 32),
        Activation.Parse("tanh").CreateLayer<double>(6),
        RandomDense(6, 4, seed: 33),
    ]));

    private static Residual<double> ProjectedResidual() => new(
        new Sequential<double>([RandomDense(3, 5, seed: 34), Activation.Parse("sigmoid").CreateLayer<double>(5), RandomDense(5, 2, seed: 35)]),
        RandomDense(3, 2, seed: 36));

    private static Residual<double> PreActivationResidual() => new(new Sequential<double>(
    [
        WithRandomAffine(new BatchNorm<double>(4), seed: 37),
        Activation.Parse("softplus").CreateLayer<double>(4),
        RandomDense(4, 4, seed: 38),
        WithRandomAffine(new LayerNorm<double>(4), seed: 39),
        Activation.Parse("tanh").CreateLayer<double>(4),
        RandomDense(4, 4, seed: 40),
    ]));

    private static Sequential<double> BuiltNetwork(NormKind norm, ResidualStyle residual = ResidualStyle.PreActivation)
    {
        var spec = new NetworkSpec(3, [5, 4, 4, 6], 2, Activation.Parse("tanh")) { Norm = norm, Residual = residual };
        var network = spec.Build<double>(Initializer.Parse("glorot-normal"), new SeededRandom(41));

        // The first layer skips its input gradient; the check wants it.
        ((Dense<double>)network.Layers[0]).ComputesInputGradient = true;
        return network;
    }
}
