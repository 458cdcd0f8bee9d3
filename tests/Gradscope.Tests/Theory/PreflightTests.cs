using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Theory;
using Gradscope.Training;

namespace Gradscope.Tests.Theory;

public sealed class PreflightTests
{
    // sigma_w^2 = Var(W_ij) x fan_in, from each initializer's documented variance:
    // He: gain^2 / fan_in with gain sqrt(2) -> 2. Glorot: gain^2 x 2 / (in + out) -> 1 when square,
    // 2 x 64 / (64 + 32) = 4/3 for 64 -> 32. Standard U[-1/sqrt(n), 1/sqrt(n)]: 1 / (3n) -> 1/3.
    // normal:0.1 at fan_in 32: 0.01 x 32 = 0.32. Orthogonal: gain^2 -> 1 when square.
    [Theory]
    [InlineData("he-normal", 32, 32, 2.0)]
    [InlineData("he-uniform:gain=1", 32, 32, 1.0)]
    [InlineData("glorot-uniform", 32, 32, 1.0)]
    [InlineData("glorot-normal", 64, 32, 4.0 / 3.0)]
    [InlineData("standard", 32, 32, 1.0 / 3.0)]
    [InlineData("normal:0.1", 32, 32, 0.32)]
    [InlineData("uniform:0.1:gain=2", 32, 32, 1.28)]
    [InlineData("lecun-normal", 10, 50, 1.0)]
    [InlineData("orthogonal", 32, 32, 1.0)]
    [InlineData("he-normal-fan-out", 64, 32, 4.0)]
    public void WeightVarianceOf_MatchesInitializerVariance(string spec, int fanIn, int fanOut, double expected)
    {
        double? actual = Preflight.WeightVarianceOf(Initializer.Parse(spec), fanIn, fanOut);

        Assert.NotNull(actual);
        Assert.Equal(expected, actual.Value, 12);
    }

    [Fact]
    public void For_DeepSigmoidStandard_IsOrderedWithTinyRatio()
    {
        var p = For(Enumerable.Repeat(32, 20).ToArray(), "sigmoid", "standard");

        // sigma_w^2 = 1/3 and sigma_b^2 = 0; the ratio spans the 21 dense layers: chi_1^(20/2).
        Assert.NotNull(p);
        var expected = MeanField.Analyze(Activation.Parse("sigmoid"), 1.0 / 3.0, 0.0, 21);
        Assert.Equal(SignalPhase.Ordered, p.Phase);
        Assert.Equal(expected.Chi1, p.Chi1, 12);
        Assert.InRange(p.Chi1, 0.015, 0.025);
        Assert.Equal(21, p.Depth);
        Assert.Equal(Math.Pow(p.Chi1, 10), p.PredictedGradientRatio, 1e-30);
        Assert.Equal(-10 * Math.Log10(p.Chi1), p.PredictedOrdersLost, 9);
        Assert.StartsWith($"theory: chi_1 = {p.Chi1:0.###} (ordered): the gradient is predicted to shrink by ", p.Text, StringComparison.Ordinal);
        Assert.EndsWith("(sigma_w^2 = 0.333 from standard init, sigma_b^2 = 0, 21 dense layers)", p.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_ReluHe_IsCritical()
    {
        var p = For([32, 32, 32], "relu", "he-normal");

        // ReLU: chi_1 = sigma_w^2 / 2 = 1 exactly.
        Assert.NotNull(p);
        Assert.Equal(SignalPhase.Critical, p.Phase);
        Assert.Equal(1.0, p.Chi1, 9);
        Assert.Contains("keep its size", p.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_ConstantBias_IsMentionedAndIgnored()
    {
        var p = For([16, 16], "relu", "he-normal:gain=2:bias=-1");

        // gain 2: sigma_w^2 = 4, chi_1 = 2 (chaotic); the constant bias is not a variance.
        Assert.NotNull(p);
        Assert.Equal(SignalPhase.Chaotic, p.Phase);
        Assert.Equal(2.0, p.Chi1, 9);
        Assert.Equal(-1.0, p.ConstantBias);
        Assert.Equal(0.0, p.BiasVariance);
        Assert.Contains("constant bias -1 not modelled, sigma_b^2 = 0", p.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_NormResidualDropoutOrSpec_IsSkipped()
    {
        int[] plain = [32, 32, 32, 32];

        Assert.NotNull(For(plain, "tanh", "glorot-uniform"));
        Assert.Null(For(plain, "tanh", "glorot-uniform", NormKind.Batch));
        Assert.Null(For(plain, "tanh", "glorot-uniform", residual: true));
        Assert.Null(For(plain, "tanh", "glorot-uniform", dropout: 0.5));
        Assert.Null(For([], "tanh", "glorot-uniform"));
        Assert.Null(For(plain, "tanh", "normal:0"));
        Assert.Null(For(ModelSpecJson.Parse("""{"layers": [{"type": "dense", "units": 8}, {"type": "activation", "name": "tanh"}, {"type": "dropout", "p": 0.1}]}""").Layers, "glorot-uniform"));
    }

    [Fact]
    public void For_PlainChainGivenAsSpec_IsTheFlagsPrediction()
    {
        var flags = new NetworkSpec(2, [32, 32, 32, 32], 3, Activation.Parse("tanh"));

        Assert.Equal(For([32, 32, 32, 32], "tanh", "glorot-uniform")!.Text, For(flags.Layout(), "glorot-uniform")!.Text);
        Assert.Null(For([new DenseSpec(8), new ActivationSpec(Activation.Parse("relu")), new DenseSpec(8), new ActivationSpec(Activation.Parse("tanh"))], "glorot-uniform"));
    }

    // The prediction for the dense network the layout flags build (2 inputs, 3 classes).
    private static Preflight? For(IReadOnlyList<int> hidden, string activation, string init, NormKind norm = NormKind.None, bool residual = false, double dropout = 0) =>
        Preflight.For(
            new NetworkSpec(2, hidden, 3, Activation.Parse(activation)) { Norm = norm, Residual = residual ? ResidualStyle.PreActivation : ResidualStyle.None, Dropout = dropout },
            Initializer.Parse(init));

    // The prediction for a network given by its layers.
    private static Preflight? For(IReadOnlyList<LayerSpec> layers, string init) =>
        Preflight.For(NetworkSpec.FromLayers(2, layers, 3), Initializer.Parse(init));
}
