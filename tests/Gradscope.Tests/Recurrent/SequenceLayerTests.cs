using Gradscope.Data.Sequences;
using Gradscope.Recurrent;
using Gradscope.Tests.TestSupport;
using Gradscope.Training;

namespace Gradscope.Tests.Recurrent;

/// <summary>A recurrent layer as a stage of Sequential: its layout, both outputs, and its gradients.</summary>
public sealed class SequenceLayerTests
{
    [Theory]
    [InlineData("rnn", SequenceOutput.ManyToOne)]
    [InlineData("rnn", SequenceOutput.ManyToMany)]
    [InlineData("lstm", SequenceOutput.ManyToOne)]
    [InlineData("lstm", SequenceOutput.ManyToMany)]
    [InlineData("gru", SequenceOutput.ManyToMany)]
    public void Backward_MatchesFiniteDifferences_ForInputAndParameters(string cell, SequenceOutput output)
    {
        var layer = new RecurrentSpec(cell, 3, output).Create<double>(features: 2, steps: 4);
        layer.Cell.Initialize(new SeededRandom(3));
        var input = GradientCheck.RandomInput(rows: 3, cols: 8, seed: 4);
        Assert.True(GradientCheck.MaxRelativeError(layer, input) < 1e-6);
    }

    [Theory]
    [InlineData("lstm", SequenceOutput.ManyToOne)]
    [InlineData("gru", SequenceOutput.ManyToMany)]
    [InlineData("rnn", SequenceOutput.ManyToMany)]
    public void Backward_ReadingStepRows_MatchesFiniteDifferences_ForInputAndParameters(string cell, SequenceOutput output)
    {
        var layer = new RecurrentSpec(cell, 3, output).Create<double>(features: 2, steps: 4, readsStepRows: true);
        layer.Cell.Initialize(new SeededRandom(3));
        var input = GradientCheck.RandomInput(rows: 3 * 4, cols: 2, seed: 4);

        Assert.Equal(2, layer.InputSize);
        Assert.True(GradientCheck.MaxRelativeError(layer, input) < 1e-6);
    }

    [Fact]
    public void Forward_ReadingStepRows_EqualsReadingOneRowPerSequence()
    {
        var rows = new RecurrentSpec("gru", 3, SequenceOutput.ManyToMany).Create<double>(features: 2, steps: 4);
        var steps = new RecurrentSpec("gru", 3, SequenceOutput.ManyToMany).Create<double>(features: 2, steps: 4, readsStepRows: true);
        rows.Cell.Initialize(new SeededRandom(3));
        for (int p = 0; p < 4; p++)
            rows.Parameters[p].Value.Span.CopyTo(steps.Parameters[p].Value.Span);
        var input = GradientCheck.RandomInput(rows: 3, cols: 8, seed: 4);
        var asSteps = new Gradscope.Tensors.Matrix<double>(12, 2);
        input.Span.CopyTo(asSteps.Span);

        Assert.Equal(rows.Forward(input, training: true).Span.ToArray(), steps.Forward(asSteps, training: true).Span.ToArray());
        var ex = Assert.Throws<GradscopeException>(() => steps.Forward(new Gradscope.Tensors.Matrix<double>(5, 2), training: true));
        Assert.Contains("4 rows per sequence", ex.Message);
    }

    [Fact]
    public void Forward_ManyToMany_PutsSequenceRowsFirstThenSteps()
    {
        var layer = new RecurrentSpec("rnn", 2, SequenceOutput.ManyToMany).Create<double>(features: 1, steps: 3);
        layer.Cell.Initialize(new SeededRandom(1));
        var input = GradientCheck.RandomInput(rows: 2, cols: 3, seed: 2);
        var all = layer.Forward(input, training: true).Clone();
        var last = new RecurrentSpec("rnn", 2).Create<double>(features: 1, steps: 3);
        for (int p = 0; p < 4; p++)
            layer.Parameters[p].Value.Span.CopyTo(last.Parameters[p].Value.Span);
        var h = last.Forward(input, training: true);

        Assert.Equal(6, all.Rows);
        for (int b = 0; b < 2; b++)
            Assert.Equal(h.Row(b).ToArray(), all.Row((b * 3) + 2).ToArray());
    }

    [Theory]
    [InlineData("""{"layers": [{"type": "lstm", "hidden": 0}]}""", "\"hidden\" must be a whole number")]
    [InlineData("""{"layers": [{"type": "gru"}]}""", "needs \"hidden\"")]
    [InlineData("""{"layers": [{"type": "rnn", "hidden": 4, "sequence": "first"}]}""", "\"sequence\" must be \"last\"")]
    [InlineData("""{"layers": [{"type": "rnn", "hidden": 4, "activation": "sigmoid"}]}""", "\"activation\" must be \"tanh\" or \"relu\"")]
    [InlineData("""{"layers": [{"type": "gru", "hidden": 4, "activation": "relu"}]}""", "unknown key \"activation\"")]
    [InlineData("""{"layers": [{"type": "dense", "units": 4}, {"type": "lstm", "hidden": 4}]}""", "layers[1]: a recurrent layer (lstm) cannot follow a dense layer; recurrent layers come first")]
    [InlineData("""{"layers": [{"type": "lstm", "hidden": 4}, {"type": "gru", "hidden": 4}]}""", "layers[1]: a recurrent layer (gru) reads every step of the layer before it, but that layer (lstm) has \"sequence\": \"last\"")]
    [InlineData("""{"layers": [{"type": "gru", "hidden": 4, "sequence": "all"}, {"type": "dropout", "p": 0.1}, {"type": "gru", "hidden": 4}]}""", "layers[2]: a recurrent layer (gru) cannot follow a dropout layer")]
    [InlineData("""{"layers": [{"type": "residual", "layers": [{"type": "rnn", "hidden": 4}]}]}""", "layers[0].layers[0]: a recurrent layer (rnn) cannot be inside a residual block")]
    public void ModelSpec_MalformedRecurrentLayer_SaysWhatIsWrong(string json, string expected)
    {
        var ex = Assert.Throws<GradscopeException>(() => NetworkSpec.FromJson(json, 2, 2, "net.json"));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ModelSpec_RecurrentLayers_RoundTrip()
    {
        const string Json = """{"input":2,"layers":[{"type":"lstm","module":"rnn","hidden":16,"sequence":"all","forget_bias":1},{"type":"activation","name":"tanh"}],"output":{"units":5,"module":"head"}}""";
        var spec = NetworkSpec.FromJson(Json);
        Assert.Equal(Json, spec.ToJson());
        var built = (spec with { Steps = 7 }).Build<float>(new Gradscope.Initialization.GlorotUniform(), new SeededRandom(1));
        Assert.Equal(14, built.InputSize);
        var lstm = Assert.IsType<Lstm<float>>(Assert.IsType<SequenceLayer<float>>(built.Layers[0]).Cell);
        Assert.Equal(1f, lstm.BiasIh.Value[0, 16]);
    }

    [Fact]
    public void ModelSpec_LstmInputBias_RoundTrips_AndSetsTheInputGatesBlock()
    {
        const string Json = """{"input":2,"layers":[{"type":"lstm","module":"rnn","hidden":4,"sequence":"last","forget_bias":5,"input_bias":-3}],"output":{"units":1,"module":"head"}}""";
        var spec = NetworkSpec.FromJson(Json);
        Assert.Equal(Json, spec.ToJson());
        var built = (spec with { Steps = 3 }).Build<float>(new Gradscope.Initialization.GlorotUniform(), new SeededRandom(1));
        var lstm = Assert.IsType<Lstm<float>>(Assert.IsType<SequenceLayer<float>>(built.Layers[0]).Cell);

        // Gates in PyTorch's order i, f, g, o: the input gate's block first, the forget gate's second.
        Assert.Equal([-3f, -3f, -3f, -3f, 5f, 5f, 5f, 5f], lstm.BiasIh.Value.Span[..8].ToArray());
        Assert.Equal(new float[8], lstm.BiasHh.Value.Span[..8].ToArray());
        Assert.NotEqual(0f, lstm.BiasHh.Value.Span[8]);
    }

    [Theory]
    [InlineData("""{"type":"gru","hidden":4,"input_bias":-3}""", "Only an lstm layer takes an input-gate bias; gru has none.")]
    [InlineData("""{"type":"lstm","hidden":4,"input_bias":"low"}""", "\"input_bias\" must be a number; got \"low\"")]
    public void ModelSpec_BadInputBias_IsRejected(string layer, string expected)
    {
        var ex = Assert.Throws<GradscopeException>(() => NetworkSpec.FromJson($$$"""{"input":2,"layers":[{{{layer}}}],"output":{"units":1}}""", 2, 1, "net.json"));
        Assert.Contains(expected, ex.Message);
    }
}
