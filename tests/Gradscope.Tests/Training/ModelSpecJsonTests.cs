using Gradscope.Initialization;
using Gradscope.Layers;
using Gradscope.Training;

namespace Gradscope.Tests.Training;

public sealed class ModelSpecJsonTests
{
    private const string Example = """
        {
          // comments are allowed
          "input": 2,
          "layers": [
            {"type": "dense", "units": 8},
            {"type": "batchnorm"},
            {"type": "activation", "name": "relu"},
            {"type": "residual", "layers": [
              {"type": "dense", "units": 6}, {"type": "layernorm"}, {"type": "activation", "name": "tanh"}, {"type": "dropout", "p": 0.1},
            ]},
          ],
          "output": 3
        }
        """;

    [Fact]
    public void FromJson_Example_BuildsTheListedLayersWithAProjection()
    {
        var spec = NetworkSpec.FromJson(Example, inputSize: 2, outputSize: 3);
        var network = spec.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(1));

        var names = LayerTree.Leaves(network).Select(l => $"{l.Path}:{l.Layer.Kind}");

        Assert.Equal(["0:dense", "1:batchnorm", "2:relu", "3.body.0:dense", "3.body.1:layernorm", "3.body.2:tanh", "3.body.3:dropout", "3.proj:dense", "4:dense"], names);
        Assert.Equal("2-dense8-batchnorm-relu-res(dense6-layernorm-tanh-dropout0.1)-3", spec.Describe());
        Assert.Equal("relu", spec.Activation.Name);
        Assert.Equal(6, network.Layers[^1].InputSize);
    }

    [Fact]
    public void FromJson_SizesFromTheData_WhenTheSpecLeavesThemOut()
    {
        var spec = NetworkSpec.FromJson("{\"layers\": []}", inputSize: 4, outputSize: 2);
        Assert.Equal("4-2", spec.Describe());
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "{\"layers\": [", "m.json: not valid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed. LineNumber: 0 | BytePositionInLine: 12." },
        { "[1, 2]", "m.json: a model spec is a JSON object like {\"layers\": [...]}; found an array." },
        { "{\"input\": 2}", "m.json: the model spec has no \"layers\" array." },
        { "{\"layers\": [], \"depth\": 3}", "m.json: unknown key \"depth\" for the model spec; expected \"type\", \"input\", \"layers\", \"output\"." },
        { "{\"layers\": {}}", "m.json: layers: must be an array of layers; found an object." },
        { "{\"layers\": [\"dense\"]}", "m.json: layers[0]: a layer is an object like {\"type\": \"dense\", \"units\": 32}; found a string." },
        { "{\"layers\": [{\"units\": 3}]}", "m.json: layers[0]: a layer needs a \"type\" string: dense, batchnorm, layernorm, activation, dropout, residual, rnn, lstm or gru." },
        { "{\"layers\": [{\"type\": \"conv\"}]}", "m.json: layers[0]: unknown layer type 'conv'; expected dense, batchnorm, layernorm, activation, dropout, residual, rnn, lstm or gru." },
        { "{\"layers\": [{\"type\": \"dense\"}]}", "m.json: layers[0]: a dense layer needs \"units\"." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 0}]}", "m.json: layers[0]: \"units\" must be a whole number from 1 to 1000000; got 0." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3.5}]}", "m.json: layers[0]: \"units\" must be a whole number from 1 to 1000000; got 3.5." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3, \"unit\": 4}]}", "m.json: layers[0]: unknown key \"unit\" for a dense layer; expected \"type\", \"module\", \"units\", \"init\"." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3, \"units\": 4}]}", "m.json: layers[0]: key \"units\" appears twice." },
        { "{\"layers\": [{\"type\": \"activation\", \"name\": \"swoosh\"}]}", "m.json: layers[0]: unknown activation 'swoosh'; valid activations: identity, sigmoid, tanh, hard-tanh, softsign, relu, leaky-relu, elu, selu, gelu, silu, softplus." },
        { "{\"layers\": [{\"type\": \"activation\"}]}", "m.json: layers[0]: an activation layer needs a \"name\" string, e.g. \"relu\"." },
        { "{\"layers\": [{\"type\": \"dropout\", \"p\": 1}]}", "m.json: layers[0]: \"p\" must be a number in [0, 1); got 1." },
        { "{\"layers\": [{\"type\": \"dropout\"}]}", "m.json: layers[0]: a dropout layer needs \"p\", the drop probability in [0, 1)." },
        { "{\"layers\": [{\"type\": \"residual\", \"layers\": []}]}", "m.json: layers[0].layers: a residual block needs at least one layer." },
        { "{\"layers\": [{\"type\": \"residual\"}]}", "m.json: layers[0]: a residual block needs a \"layers\" array (its body)." },
        { "{\"layers\": [{\"type\": \"residual\", \"layers\": [{\"type\": \"batchnorm\", \"momentum\": 0.2}]}]}", "m.json: layers[0].layers[0]: unknown key \"momentum\" for a batchnorm layer; expected \"type\", \"module\"." },
        { "{\"layers\": [], \"output\": -1}", "m.json: \"output\" must be a whole number from 1 to 1000000; got -1." },
        { "{\"type\": \"dense\", \"layers\": []}", "m.json: \"type\" must be \"spec\" when present; found \"dense\"." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3, \"module\": 5}]}", "m.json: layers[0]: \"module\" must be a string, the layer's module path in the state dict (e.g. \"net.0\"); got 5." },
        { "{\"layers\": [{\"type\": \"layernorm\", \"module\": \"net..1\"}]}", "m.json: layers[0]: the module path \"net..1\" has an empty name between dots; write it as the state dict does, e.g. \"net.0\"." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3, \"module\": \"fc 1\"}]}", "m.json: layers[0]: the module path \"fc 1\" contains a space or control character; write it as the state dict does, e.g. \"net.0\"." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3, \"module\": \"a\"}], \"output\": {\"units\": 2, \"module\": \"a\"}}", "m.json: layers[0]: the module path \"a\" is given to another layer too; each layer's path is its own." },
        { "{\"layers\": [{\"type\": \"residual\", \"module\": \"b\", \"layers\": [{\"type\": \"dense\", \"units\": 3, \"module\": \"b\"}]}]}", "m.json: layers[0]: the module path \"b\" is given to another layer too; each layer's path is its own." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3, \"init\": 2}]}", "m.json: layers[0]: \"init\" must be a string such as \"he-normal\"; got 2." },
        { "{\"layers\": [{\"type\": \"activation\", \"name\": \"relu\", \"init\": \"he-normal\"}]}", "m.json: layers[0]: unknown key \"init\" for an activation layer; expected \"type\", \"module\", \"name\"." },
        { "{\"layers\": [], \"output\": {\"unit\": 2}}", "m.json: output: unknown key \"unit\" for the output layer; expected \"units\", \"module\"." },
        { "{\"layers\": [], \"output\": {\"units\": 0}}", "m.json: output: \"units\" must be a whole number from 1 to 1000000; got 0." },
        { "{\"layers\": [{\"type\": \"lstm\", \"module\": \"rnn\"}]}", "m.json: layers[0]: an lstm layer needs \"hidden\", its number of hidden units." },
        { "{\"layers\": [{\"type\": \"rnn\", \"hidden\": 4, \"sequence\": \"each\"}]}", "m.json: layers[0]: \"sequence\" must be \"last\" (the last hidden state) or \"all\" (every step); got \"each\"." },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_Malformed_SaysWhereAndWhat(string json, string message)
    {
        var ex = Assert.Throws<GradscopeException>(() => ModelSpecJson.Parse(json, "m.json"));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Parse_UnknownInit_NamesTheLayerAndTheValidNames()
    {
        var ex = Assert.Throws<GradscopeException>(() => ModelSpecJson.Parse("{\"layers\": [{\"type\": \"dense\", \"units\": 3, \"init\": \"zeros\"}]}", "m.json"));
        Assert.StartsWith("m.json: layers[0]: \"init\": Unknown initializer 'zeros'", ex.Message);
        Assert.Contains("he-normal", ex.Message);
    }

    [Fact]
    public void ModulesInitAndOutputObject_SurviveWriteAndParse()
    {
        const string json = """
            {"layers": [
              {"type": "dense", "units": 4, "module": "encoder.fc1", "init": "he-normal:bias=0.5"},
              {"type": "activation", "name": "relu", "module": "encoder.act"},
              {"type": "residual", "module": "blocks.0", "layers": [{"type": "dense", "units": 6}, {"type": "layernorm", "module": "blocks.0.ln"}]}],
             "output": {"units": 3, "module": "head"}}
            """;
        var doc = ModelSpecJson.Parse(json);
        Assert.Equal("head", doc.OutputModule);
        Assert.Equal(3, doc.Output);
        string written = ModelSpecJson.Write(doc.Input, doc.Layers, doc.Output, outputModule: doc.OutputModule);
        var again = ModelSpecJson.Parse(written);
        Assert.Equal(written, ModelSpecJson.Write(again.Input, again.Layers, again.Output, outputModule: again.OutputModule));
        Assert.Contains("\"module\":\"encoder.fc1\"", written);
        Assert.Contains("\"init\":\"he-normal:bias=0.5\"", written);
        Assert.EndsWith("\"output\":{\"units\":3,\"module\":\"head\"}}", written);

        var spec = NetworkSpec.FromJson(json, inputSize: 2);
        var network = spec.Build<double>(Initializer.Parse("glorot-uniform"), new SeededRandom(1));
        Assert.Equal(
            ["encoder.fc1:dense", "encoder.act:relu", "blocks.0.body.0:dense", "blocks.0.ln:layernorm", "blocks.0.proj:dense", "head:dense"],
            LayerTree.Leaves(network).Select(l => $"{l.Path}:{l.Layer.Kind}"));

        // Its own init (a bias of 0.5) for the first dense layer, the network's (bias 0) for the others.
        var dense = LayerTree.OfType<Dense<double>, double>(network);
        Assert.All(dense[0].Bias.Value.Span.ToArray(), b => Assert.Equal(0.5, b));
        Assert.All(dense[^1].Bias.Value.Span.ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void PerLayerInit_LeavesTheOtherLayersWeightsAsTheSeedGives()
    {
        var plain = NetworkSpec.FromJson("{\"layers\": [{\"type\": \"dense\", \"units\": 4}, {\"type\": \"dense\", \"units\": 4}]}", 2, 3)
            .Build<double>(Initializer.Parse("he-normal"), new SeededRandom(5));
        var own = NetworkSpec.FromJson("{\"layers\": [{\"type\": \"dense\", \"units\": 4, \"init\": \"he-normal:bias=1\"}, {\"type\": \"dense\", \"units\": 4}]}", 2, 3)
            .Build<double>(Initializer.Parse("he-normal"), new SeededRandom(5));
        for (int p = 0; p < plain.Parameters.Count; p++)
        {
            if (p != 1)
                Assert.Equal(plain.Parameters[p].Value.Span.ToArray(), own.Parameters[p].Value.Span.ToArray());
        }

        Assert.All(own.Parameters[1].Value.Span.ToArray(), b => Assert.Equal(1, b));
    }

    [Fact]
    public void SpecWithoutModules_WritesAsItAlwaysDid()
    {
        var doc = ModelSpecJson.Parse("{\"layers\": [{\"type\": \"dense\", \"units\": 4}], \"output\": 3}");
        Assert.Equal("{\"layers\":[{\"type\":\"dense\",\"units\":4}],\"output\":3}", ModelSpecJson.Write(doc.Input, doc.Layers, doc.Output));
    }

    [Fact]
    public void FromJson_InputDisagreesWithTheData_NamesBoth()
    {
        var ex = Assert.Throws<GradscopeException>(() => NetworkSpec.FromJson("{\"input\": 3, \"layers\": []}", inputSize: 2, outputSize: 2, source: "m.json"));
        Assert.Equal("m.json: \"input\" is 3 but the data has 2 features.", ex.Message);
    }

    [Fact]
    public void FromJson_NoOutputAnywhere_SaysSo()
    {
        var ex = Assert.Throws<GradscopeException>(() => NetworkSpec.FromJson("{\"input\": 3, \"layers\": []}", source: "m.json"));
        Assert.Equal("m.json: no \"output\" size; give it in the spec.", ex.Message);
    }
}
