using System.Text;
using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;

namespace Gradscope.Lab.Tests.Traces;

public sealed class TraceDiagnosisTests
{
    private const string Header =
        "{\"type\":\"header\",\"format\":\"gradscope-trace\",\"version\":2,\"kind\":\"torch\",\"spec\":null,\"activation\":\"relu\"," +
        "\"layers\":[{\"layer\":1,\"name\":\"net.0\",\"kind\":\"dense\",\"activation\":\"relu\",\"inputs\":8,\"units\":16,\"module_kind\":\"Linear\",\"activation_module\":\"net.1\"," +
        "\"init\":{\"weight_mean\":0.0,\"weight_std\":0.5,\"fan_in\":8,\"fan_out\":16,\"gain\":1.4142,\"bias_mean\":0.0,\"bias_std\":null}}," +
        "{\"layer\":2,\"name\":\"net.2\",\"kind\":\"dense\",\"activation\":\"identity\",\"inputs\":16,\"units\":3,\"module_kind\":\"Linear\",\"activation_module\":null}]," +
        "\"framework\":{\"name\":\"pytorch\",\"version\":\"2.1.0\"},\"optimizer\":{\"name\":\"Adam\",\"learning_rate\":0.001,\"settings\":{\"beta1\":0.9}},\"loss_function\":\"CrossEntropyLoss\"}\n" +
        "{\"type\":\"step\",\"step\":0,\"loss\":1.0,\"delta_rms\":[0.1,0.1]}\n";

    [Fact]
    public void TraceReader_HookHeader_KeepsFrameworkAndLayerDetailsThroughAWrite()
    {
        var run = TraceReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Header)), "hook.jsonl");
        using var copy = new MemoryStream();
        TraceFiles.Write(run, copy);
        copy.Position = 0;

        var again = TraceReader.Read(copy, "copy.jsonl");

        Assert.Equal("pytorch", again.Framework!.Name);
        Assert.Equal("Adam", again.Framework.Optimizer);
        Assert.Equal(0.001, again.Framework.LearningRate);
        Assert.Equal(0.9, again.Framework.OptimizerSettings["beta1"]);
        Assert.Equal("CrossEntropyLoss", again.Framework.LossFunction);
        Assert.Equal("Linear", again.Layers[0].ModuleKind);
        Assert.Equal("net.1", again.Layers[0].ActivationModule);
        Assert.Equal(1.4142, again.Layers[0].Init!.Gain);
        Assert.True(double.IsNaN(again.Layers[0].Init!.BiasStd));
        Assert.Null(again.Layers[1].ActivationModule);
        Assert.Null(again.Layers[1].Init);
    }

    [Fact]
    public void TraceDiagnosis_HookTrace_SeesTheRecordedActivationsAndHeInit()
    {
        var run = TraceReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Header)), "hook.jsonl");

        var (context, init) = TraceDiagnosis.ContextFor(run);

        Assert.Equal("relu", context.LayerFacts(0).Activation!.Name);
        Assert.Null(context.LayerFacts(1).Activation);
        Assert.Equal(new HeNormal(), init.Initializer);
        Assert.True(context.Network.UsesRecommendedInit);
        Assert.Null(context.Preflight);
    }

    [Theory]
    [InlineData("relu", 1.41, "he-normal")]
    [InlineData("relu", 0.577, "PyTorch's default")]
    [InlineData("tanh", 1.0, "glorot-uniform")]
    [InlineData("sigmoid", 3.0, "measured gain 3")]
    public void InitMatch_Gains_NameTheScheme(string activation, double gain, string label)
    {
        var layers = new List<RecordedLayer>();
        for (int i = 0; i < 4; i++)
            layers.Add(Layer(i, 32, 32, gain));
        layers.Add(Layer(4, 32, 2, 0.3));

        var match = InitMatch.Judge(layers, Activation.Parse(activation));

        Assert.Equal(label, match.Label);
    }

    [Fact]
    public void InitMatch_SmallFirstLayerOffByItsSamplingNoise_StillHe()
    {
        // Kaiming-normal on a 2-input layer of 32 units measured gain 1.68 in a real PyTorch run
        // (64 weights: the sample std's own error is about 9%); the 32x32 layers lie near sqrt(2).
        var layers = new List<RecordedLayer> { Layer(0, 2, 32, 1.68) };
        for (int i = 1; i < 5; i++)
            layers.Add(Layer(i, 32, 32, 1.45));
        layers.Add(Layer(5, 32, 3, 1.4));

        Assert.Equal("he-normal", InitMatch.Judge(layers, Activation.Parse("relu")).Label);
        Assert.Equal("measured gain 1.45", InitMatch.Judge([Layer(0, 2, 32, 2.2), .. layers[1..]], Activation.Parse("relu")).Label);
    }

    [Fact]
    public void InitMatch_SmallLayersNearPyTorchDefault_AreNotCalledGlorot()
    {
        // A reviewer's 4-8-2 network with PyTorch's default init measured gains 0.55 and 0.57; on
        // layers this small Glorot (0.82, 1.26) is within the widened tolerance too, but farther.
        var layers = new List<RecordedLayer> { Layer(0, 4, 8, 0.55), Layer(1, 8, 2, 0.57) };

        Assert.Equal("PyTorch's default", InitMatch.Judge(layers, Activation.Parse("tanh")).Label);
    }

    [Fact]
    public void InitMatch_NoInitStatistics_IsUnknown()
    {
        var layers = new List<RecordedLayer> { new(new LayerRef(1, "0"), "dense", "relu", 4, 4), new(new LayerRef(2, "2"), "dense", "identity", 4, 2) };

        Assert.Same(InitMatch.Unknown, InitMatch.Judge(layers, Activation.Parse("relu")));
    }

    [Fact]
    public void TorchRemedyCode_NamesTheModulesOfTheTrace()
    {
        var run = TraceReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Header)), "hook.jsonl");

        string clip = TorchRemedyCode.For(Remedies.ClipAndLowerLearningRate, run.Layers, run.Framework)!;
        string norm = TorchRemedyCode.For(Remedies.BatchNorm, run.Layers, run.Framework)!;
        string init = TorchRemedyCode.For(Remedies.RecommendedInit, run.Layers, run.Framework)!;

        Assert.Contains("torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)", clip);
        Assert.Contains("0.0001  # 10x lower than 0.001", clip);
        Assert.Contains("(\"net.0\", nn.BatchNorm1d(16))", norm);
        Assert.DoesNotContain("net.2", norm);
        Assert.Contains("[\"net.0\", \"net.2\"]", init);
        Assert.Contains("kaiming_normal_(m.weight, nonlinearity=\"relu\")", init);
    }

    private static RecordedLayer Layer(int index, int inputs, int units, double gain) =>
        new(new LayerRef(index + 1, $"net.{2 * index}"), "dense", "relu", inputs, units)
        {
            ModuleKind = "Linear",
            Init = new LayerInit(0, gain / Math.Sqrt(inputs), inputs, units, gain, double.NaN, double.NaN),
        };
}
