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
        { "{\"layers\": [{\"units\": 3}]}", "m.json: layers[0]: a layer needs a \"type\" string: dense, batchnorm, layernorm, activation, dropout or residual." },
        { "{\"layers\": [{\"type\": \"conv\"}]}", "m.json: layers[0]: unknown layer type 'conv'; expected dense, batchnorm, layernorm, activation, dropout or residual." },
        { "{\"layers\": [{\"type\": \"dense\"}]}", "m.json: layers[0]: a dense layer needs \"units\"." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 0}]}", "m.json: layers[0]: \"units\" must be a whole number from 1 to 1000000; got 0." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3.5}]}", "m.json: layers[0]: \"units\" must be a whole number from 1 to 1000000; got 3.5." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3, \"unit\": 4}]}", "m.json: layers[0]: unknown key \"unit\" for a dense layer; expected \"type\", \"units\"." },
        { "{\"layers\": [{\"type\": \"dense\", \"units\": 3, \"units\": 4}]}", "m.json: layers[0]: key \"units\" appears twice." },
        { "{\"layers\": [{\"type\": \"activation\", \"name\": \"swoosh\"}]}", "m.json: layers[0]: unknown activation 'swoosh'; valid activations: identity, sigmoid, tanh, hard-tanh, softsign, relu, leaky-relu, elu, selu, gelu, silu, softplus." },
        { "{\"layers\": [{\"type\": \"activation\"}]}", "m.json: layers[0]: an activation layer needs a \"name\" string, e.g. \"relu\"." },
        { "{\"layers\": [{\"type\": \"dropout\", \"p\": 1}]}", "m.json: layers[0]: \"p\" must be a number in [0, 1); got 1." },
        { "{\"layers\": [{\"type\": \"dropout\"}]}", "m.json: layers[0]: a dropout layer needs \"p\", the drop probability in [0, 1)." },
        { "{\"layers\": [{\"type\": \"residual\", \"layers\": []}]}", "m.json: layers[0].layers: a residual block needs at least one layer." },
        { "{\"layers\": [{\"type\": \"residual\"}]}", "m.json: layers[0]: a residual block needs a \"layers\" array (its body)." },
        { "{\"layers\": [{\"type\": \"residual\", \"layers\": [{\"type\": \"batchnorm\", \"momentum\": 0.2}]}]}", "m.json: layers[0].layers[0]: unknown key \"momentum\" for a batchnorm layer; expected \"type\"." },
        { "{\"layers\": [], \"output\": -1}", "m.json: \"output\" must be a whole number from 1 to 1000000; got -1." },
        { "{\"type\": \"dense\", \"layers\": []}", "m.json: \"type\" must be \"spec\" when present; found \"dense\"." },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_Malformed_SaysWhereAndWhat(string json, string message)
    {
        var ex = Assert.Throws<GradscopeException>(() => ModelSpecJson.Parse(json, "m.json"));
        Assert.Equal(message, ex.Message);
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
