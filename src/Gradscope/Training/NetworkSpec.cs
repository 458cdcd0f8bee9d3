using System.Globalization;
using System.Numerics;
using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Layers;

namespace Gradscope.Training;

/// <summary>
/// A network's architecture: its hidden layout and then <c>Dense(classes)</c>, as PyTorch's
/// <c>nn.Sequential</c>; no activation follows the last layer, the loss takes its logits. The layout
/// comes either from flags (widths, activation, <see cref="Norm"/>, <see cref="Residual"/>,
/// <see cref="Dropout"/>) or from a layer list (<see cref="FromLayers"/>, <see cref="FromJson"/>).
/// </summary>
/// <remarks>
/// The flag layouts, with <c>[x]</c> present only when its flag is on (N = norm, A = activation,
/// D = dropout, dense(w) = a Dense to w units):
/// <list type="bullet">
/// <item>Plain: <c>dense(h1), [N], A, [D], dense(h2), [N], A, [D], ..., dense(out)</c>. Without norm
/// and dropout this is exactly <c>dense, act, ..., dense</c> as before those flags existed.</item>
/// <item><see cref="ResidualStyle.PreActivation"/> (what <c>--residual</c> builds): a stem
/// <c>dense(h1)</c>; the remaining hidden widths in pairs, each pair one block
/// <c>res([N], A, [D], dense(a), [N], A, [D], dense(b))</c> (an odd last width makes a one-dense
/// block <c>res([N], A, [D], dense(a))</c>); then <c>[N], A, [D], dense(out)</c>. Every skip path is
/// an identity, or a projection dense when a block changes the width, so for a saturating activation
/// the gradient reaches the stem without passing through any activation.</item>
/// <item><see cref="ResidualStyle.PostActivation"/>: a stem <c>dense(h1), [N], A, [D]</c>; blocks
/// <c>res(dense(a), [N], A, [D], dense(b), [N]), A, [D]</c> (one-dense block
/// <c>res(dense(a), [N]), A, [D]</c>); then <c>dense(out)</c>.</item>
/// </list>
/// So <c>--layers 5x32 --residual --norm batch</c> on 2 features and 3 classes is
/// <c>0 dense(2-32), 1 res(bn, A, dense, bn, A, dense), 2 res(...), 3 bn, 4 A, 5 dense(32-3)</c>, with
/// tensors <c>0.weight</c>, <c>1.body.0.weight</c> (a batch norm), <c>1.body.2.weight</c> (a dense),
/// ..., <c>3.running_mean</c>, <c>5.weight</c>.
/// </remarks>
public sealed partial record NetworkSpec
{
    private readonly IReadOnlyList<LayerSpec>? _layers;
    private readonly double _dropout;
    private readonly string? _outputModule;
    private readonly int _steps = 1;

    /// <summary>Creates a plain spec from flags; sizes must be at least 1.</summary>
    public NetworkSpec(int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation)
    {
        if (inputSize < 1 || outputSize < 1)
            throw new GradscopeException($"A network needs at least one input and one output; got {inputSize} inputs and {outputSize} outputs.");
        foreach (int size in hiddenSizes)
        {
            if (size < 1)
                throw new GradscopeException($"Hidden layer sizes must be at least 1; got {size}.");
        }

        InputSize = inputSize;
        HiddenSizes = [.. hiddenSizes];
        OutputSize = outputSize;
        Activation = activation;
    }

    /// <summary>Features in (for a network that starts with a recurrent layer: features per step).</summary>
    public int InputSize { get; }

    /// <summary>
    /// Time steps per input row when the network starts with a <see cref="RecurrentSpec"/> (the data's
    /// sequence length); 1 otherwise. Not part of the model spec: the same recurrent weights take
    /// sequences of any length, so the data sets it.
    /// </summary>
    public int Steps
    {
        get => _steps;
        init
        {
            if (value < 1)
                throw new GradscopeException($"A sequence needs at least 1 step; got {value}.");
            _steps = value;
        }
    }

    /// <summary>Values per input row: <see cref="InputSize"/> times <see cref="Steps"/>.</summary>
    public int InputWidth => InputSize * Steps;

    /// <summary>The recurrent layer the network starts with, or null for a feed-forward network.</summary>
    public RecurrentSpec? Recurrent => _layers is { Count: > 0 } layers ? layers[0] as RecurrentSpec : null;

    /// <summary>Width of each hidden dense layer, first to last (depth-first for a layer list; projections not counted).</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>Outputs (classes).</summary>
    public int OutputSize { get; }

    /// <summary>The hidden activation (for a layer list: its first activation, identity when it has none).</summary>
    public Activation Activation { get; }

    /// <summary>Normalization after each hidden dense layer, before its activation (flag layouts only).</summary>
    public NormKind Norm { get; init; }

    /// <summary>Residual blocks of two hidden dense layers each (flag layouts only); see the remarks for the layouts.</summary>
    public ResidualStyle Residual { get; init; }

    /// <summary>Dropout probability after each hidden activation, in [0, 1); 0 for none (flag layouts only).</summary>
    public double Dropout
    {
        get => _dropout;
        init
        {
            if (!(value is >= 0 and < 1))
                throw new GradscopeException($"The dropout probability must be in [0, 1); got {value}.");
            _dropout = value;
        }
    }

    /// <summary>The hidden layout given as a layer list, or null when it comes from the flags.</summary>
    public IReadOnlyList<LayerSpec>? Layers
    {
        get => _layers;
        private init => _layers = value;
    }

    /// <summary>True for a plain dense chain: no norm, residual, dropout or layer list, the architecture of every model file written before those existed.</summary>
    public bool IsPlainDense => _layers is null && Norm == NormKind.None && Residual == ResidualStyle.None && Dropout == 0;

    /// <summary>Number of dense layers: hidden layers plus the output layer (residual projections not counted).</summary>
    public int DenseLayerCount => HiddenSizes.Count + 1;

    /// <summary>
    /// The output dense layer's module path (<c>head</c>, <c>net.4</c>), or null to name it by its
    /// index after the hidden layers.
    /// </summary>
    public string? OutputModule
    {
        get => _outputModule;
        init => _outputModule = value is null ? null : ModulePath.Check(value);
    }

    /// <summary>
    /// A spec whose hidden part is <paramref name="layers"/> (then <c>Dense(outputSize)</c>, at
    /// <paramref name="outputModule"/> when given), as a JSON model spec gives it.
    /// </summary>
    /// <exception cref="GradscopeException">Two layers are given the same module path.</exception>
    public static NetworkSpec FromLayers(int inputSize, IReadOnlyList<LayerSpec> layers, int outputSize, string? outputModule = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var widths = new List<int>();
        CollectDenseWidths(layers, widths);
        CheckModulesUnique(layers, outputModule);
        CheckRecurrentPlacement(layers, top: true);
        return new NetworkSpec(inputSize, widths, outputSize, FirstActivation(layers) ?? Activation.Parse("identity"))
        {
            Layers = [.. layers],
            OutputModule = outputModule,
        };
    }

    /// <summary>
    /// Parses a JSON model spec (format: <see cref="ModelSpecJson"/>). <paramref name="inputSize"/>
    /// and <paramref name="outputSize"/> (the data's features and classes) fill in what the spec
    /// leaves out and must match what it says.
    /// </summary>
    /// <exception cref="GradscopeException">The JSON is malformed, the spec invalid, or a size missing or mismatched.</exception>
    public static NetworkSpec FromJson(string json, int? inputSize = null, int? outputSize = null, string source = "model spec")
        => FromDocument(ModelSpecJson.Parse(json, source), inputSize, outputSize, source);

    /// <summary>
    /// The spec of a parsed model spec <paramref name="doc"/>; <paramref name="inputSize"/> and
    /// <paramref name="outputSize"/> (the data's features and classes) fill in what it leaves out
    /// and must match what it says. <paramref name="source"/> names it in messages.
    /// </summary>
    /// <exception cref="GradscopeException">The spec is invalid, or a size missing or mismatched.</exception>
    public static NetworkSpec FromDocument(ModelSpecDocument doc, int? inputSize = null, int? outputSize = null, string source = "model spec")
    {
        ArgumentNullException.ThrowIfNull(doc);
        int input = Resolve(doc.Input, inputSize, source, "input", "features");
        int output = Resolve(doc.Output, outputSize, source, "output", "classes");
        return FromLayers(input, doc.Layers, output, doc.OutputModule);
    }

    /// <summary>This spec as a JSON model spec (<see cref="ModelSpecJson"/>), the flags expanded into their layers.</summary>
    public string ToJson() => ModelSpecJson.Write(InputSize, Layout(), OutputSize, outputModule: OutputModule);

    /// <summary>The hidden layout: the layer list, or what the flags expand to.</summary>
    /// <exception cref="GradscopeException">A layer list is combined with norm, residual or dropout flags.</exception>
    public IReadOnlyList<LayerSpec> Layout()
    {
        if (_layers is null)
            return NetworkLayout.Hidden(HiddenSizes, Activation, Norm, Residual, Dropout);
        if (Norm != NormKind.None || Residual != ResidualStyle.None || Dropout != 0)
            throw new GradscopeException("A network given by its layers takes no norm, residual or dropout flags; put those layers in its list.");
        return _layers;
    }

    /// <summary>Sizes from input to output, e.g. <c>2-32-32-3 relu</c>, the remedies after it (<c>batch-norm residual dropout 0.1</c>).</summary>
    public string Describe()
    {
        if (_layers is not null)
        {
            var parts = new string[_layers.Count];
            for (int i = 0; i < parts.Length; i++)
                parts[i] = _layers[i].Describe();
            string input = Steps > 1 ? $"{Steps}x{InputSize}" : InputSize.ToString(CultureInfo.InvariantCulture);
            return $"{input}-{string.Join("-", parts)}{(parts.Length > 0 ? "-" : string.Empty)}{OutputSize}";
        }

        string text = $"{InputSize}-{string.Join("-", HiddenSizes)}{(HiddenSizes.Count > 0 ? "-" : string.Empty)}{OutputSize} {Activation.Name}";
        if (Norm != NormKind.None)
            text += Norm == NormKind.Batch ? " batch-norm" : " layer-norm";
        if (Residual != ResidualStyle.None)
            text += Residual == ResidualStyle.PreActivation ? " residual" : " residual-post";
        if (Dropout > 0)
            text += " dropout " + Dropout.ToString("G4", CultureInfo.InvariantCulture);
        return text;
    }

    /// <summary>
    /// Builds the network and initializes every dense weight (residual projections included) with
    /// <paramref name="initializer"/> (or the layer's own <see cref="DenseSpec.Init"/>) from
    /// <paramref name="rng"/>, in state-dict order, so the same seed gives the same weights; then
    /// seeds each dropout layer from <paramref name="rng"/>.
    /// </summary>
    public Sequential<T> Build<T>(Initializer initializer, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = BuildUninitialized<T>();
        var own = DenseInitializers(Layout(), InputSize);
        int denseIndex = 0;
        foreach (var leaf in LayerTree.Leaves(network))
        {
            if (leaf.Layer is Dense<T> dense)
            {
                var init = (denseIndex < own.Count ? own[denseIndex] : null) ?? initializer;
                init.Initialize(dense.Weight.Value, rng);
                init.InitializeBias(dense.Bias.Value);
                denseIndex++;
            }
        }

        // PyTorch's default for recurrent layers, drawn after the dense weights so a head keeps its seed's weights.
        var layout = Layout();
        for (int i = 0; i < layout.Count; i++)
        {
            if (layout[i] is RecurrentSpec recurrent && network.Layers[i] is Recurrent.SequenceLayer<T> sequence)
                recurrent.Initialize(sequence, rng);
        }

        // Drawn after the weights, so adding dropout leaves the initial weights of a seed unchanged.
        foreach (var dropout in LayerTree.OfType<Dropout<T>, T>(network))
            dropout.Reseed(rng.NextInt(int.MaxValue));
        return network;
    }

    /// <summary>Builds the network with all dense weights zero (normalization at gamma 1, beta 0), for a loader to fill.</summary>
    public Sequential<T> BuildUninitialized<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layout = Layout();
        var layers = LayerSpec.CreateAll<T>(layout, InputSize);
        // Recurrent layers lead the list (CheckRecurrentPlacement): each after the first reads its predecessor's steps.
        for (int i = 0; i < layout.Count && layout[i] is RecurrentSpec recurrent; i++)
            layers[i] = recurrent.Create<T>(i == 0 ? InputSize : layers[i - 1].OutputSize, Steps, readsStepRows: i > 0);
        layers.Add(new Dense<T>(LayerSpec.OutputWidth(layout, InputSize), OutputSize));
        var modules = LayerSpec.ModulesOf(layout);
        modules.Add(OutputModule);

        // The first layer's input is data: nobody reads its gradient.
        if (layers[0] is Dense<T> first)
            first.ComputesInputGradient = false;
        if (layers[0] is Recurrent.SequenceLayer<T> sequence)
            sequence.ComputesInputGradient = false;
        var network = new Sequential<T>(layers, modules);
        int seed = 0;
        foreach (var dropout in LayerTree.OfType<Dropout<T>, T>(network))
            dropout.Reseed(++seed);
        return network;
    }

    /// <summary>The first activation in <paramref name="layers"/>, depth-first, or null.</summary>
    public static Activation? FirstActivation(IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers)
        {
            var found = layer switch
            {
                ActivationSpec a => a.Activation,
                ResidualSpec r => FirstActivation(r.Layers),
                _ => null,
            };
            if (found is not null)
                return found;
        }

        return null;
    }

    private static void CollectDenseWidths(IReadOnlyList<LayerSpec> layers, List<int> widths)
    {
        foreach (var layer in layers)
        {
            if (layer is DenseSpec dense)
                widths.Add(dense.Units);
            else if (layer is ResidualSpec residual)
                CollectDenseWidths(residual.Layers, widths);
        }
    }

    // A recurrent layer reads sequences: the network's input rows, or every step of the recurrent layer before it.
    private static void CheckRecurrentPlacement(IReadOnlyList<LayerSpec> layers, bool top)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            if (RecurrentSpec.PlacementError(layers, i, top) is { } error)
                throw new GradscopeException($"Layer {i}: {error}.");
            if (layers[i] is ResidualSpec residual)
                CheckRecurrentPlacement(residual.Layers, top: false);
        }
    }

    private static int Resolve(int? fromSpec, int? fromData, string source, string key, string what)
    {
        if (fromSpec is { } s && fromData is { } d && s != d)
            throw new GradscopeException($"{source}: \"{key}\" is {s} but the data has {d} {what}.");
        return fromSpec ?? fromData ?? throw new GradscopeException($"{source}: no \"{key}\" size; give it in the spec.");
    }
}
