using System.Globalization;
using System.Numerics;
using Gradscope.Data.Sequences;
using Gradscope.Layers;
using Gradscope.Recurrent;

namespace Gradscope.Training;

/// <summary>
/// A recurrent layer as PyTorch's <c>nn.RNN</c>, <c>nn.LSTM</c> or <c>nn.GRU</c> with one layer, one
/// direction and batch-first data (tensors <c>weight_ih_l0</c>, <c>weight_hh_l0</c>,
/// <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, gates in PyTorch's order), of <see cref="Hidden"/> units,
/// reading the last hidden state (<c>"sequence": "last"</c>) or every one (<c>"all"</c>). Recurrent
/// layers lead a network's layer list: the first reads the network's input, <see cref="NetworkSpec.Steps"/>
/// steps of <see cref="NetworkSpec.InputSize"/> features each (see <see cref="SequenceLayer{T}"/>), and
/// each further one every step of the one before it, which must have <c>"sequence": "all"</c>.
/// </summary>
public sealed record RecurrentSpec : LayerSpec
{
    /// <summary>The accepted <c>"type"</c> values.</summary>
    public const string ValidTypes = "rnn, lstm, gru";

    /// <summary>Creates the entry.</summary>
    /// <exception cref="GradscopeException">The cell is unknown, the hidden size below 1 or the nonlinearity neither tanh nor relu.</exception>
    public RecurrentSpec(string cell, int hidden, SequenceOutput sequence = SequenceOutput.ManyToOne, string nonlinearity = "tanh")
    {
        Cell = (cell ?? string.Empty).Trim().ToLowerInvariant();
        if (Cell is not ("rnn" or "lstm" or "gru"))
            throw new GradscopeException($"Unknown recurrent layer '{cell}'; expected {ValidTypes}.");
        if (hidden < 1)
            throw new GradscopeException($"A recurrent layer needs at least 1 hidden unit; got {hidden}.");
        Nonlinearity = (nonlinearity ?? string.Empty).Trim().ToLowerInvariant();
        if (Nonlinearity is not ("tanh" or "relu"))
            throw new GradscopeException($"A recurrent layer's activation is tanh or relu; got '{nonlinearity}'.");
        if (Cell != "rnn" && Nonlinearity != "tanh")
            throw new GradscopeException($"Only an rnn layer takes an activation; {Cell} has its own gates.");
        Hidden = hidden;
        Sequence = sequence;
    }

    private readonly double? _forgetBias;
    private readonly double? _inputBias;

    /// <summary><c>rnn</c>, <c>lstm</c> or <c>gru</c>.</summary>
    public string Cell { get; }

    /// <summary>Hidden units H.</summary>
    public int Hidden { get; }

    /// <summary>Many-to-one (<c>"last"</c>) or many-to-many (<c>"all"</c>).</summary>
    public SequenceOutput Sequence { get; }

    /// <summary>The rnn's nonlinearity, <c>tanh</c> or <c>relu</c> (always tanh for lstm and gru).</summary>
    public string Nonlinearity { get; }

    /// <summary>
    /// An LSTM's initial forget-gate bias (<c>bias_ih_l0</c>'s f block; <c>bias_hh_l0</c>'s is 0), so
    /// the cell starts out remembering (Gers et al. 2000; Jozefowicz et al. 2015); null for PyTorch's
    /// default initialization. Spec key <c>"forget_bias"</c>.
    /// </summary>
    public double? ForgetBias
    {
        get => _forgetBias;
        init
        {
            if (value is { } v && (Cell != "lstm" || !double.IsFinite(v)))
                throw new GradscopeException(Cell != "lstm" ? $"Only an lstm layer takes a forget-gate bias; {Cell} has none." : $"The forget-gate bias must be a finite number; got {v}.");
            _forgetBias = value;
        }
    }

    /// <summary>
    /// An LSTM's initial input-gate bias (<c>bias_ih_l0</c>'s i block; <c>bias_hh_l0</c>'s is 0), so
    /// the cell starts out reading little of each step and is not filled with the noise of every
    /// input before it has learned which steps matter: the negative biases of Hochreiter and
    /// Schmidhuber (1997, -3 and -6 on the adding problem); null for PyTorch's default
    /// initialization. Spec key <c>"input_bias"</c>.
    /// </summary>
    public double? InputBias
    {
        get => _inputBias;
        init
        {
            if (value is { } v && (Cell != "lstm" || !double.IsFinite(v)))
                throw new GradscopeException(Cell != "lstm" ? $"Only an lstm layer takes an input-gate bias; {Cell} has none." : $"The input-gate bias must be a finite number; got {v}.");
            _inputBias = value;
        }
    }

    /// <summary>The spec's name for <see cref="Sequence"/>.</summary>
    public string SequenceName => Sequence == SequenceOutput.ManyToOne ? "last" : "all";

    /// <inheritdoc/>
    public override string Type => Cell;

    /// <inheritdoc/>
    public override string Describe() =>
        (Cell == "rnn" && Nonlinearity != "tanh" ? "rnn-" + Nonlinearity : Cell) + Hidden.ToString(CultureInfo.InvariantCulture) +
        (Sequence == SequenceOutput.ManyToMany ? "(all)" : string.Empty);

    /// <summary>Parses a <c>"sequence"</c> value.</summary>
    /// <exception cref="GradscopeException">The value is neither last nor all.</exception>
    public static SequenceOutput ParseSequence(string value) => value switch
    {
        "last" => SequenceOutput.ManyToOne,
        "all" => SequenceOutput.ManyToMany,
        _ => throw new GradscopeException($"\"sequence\" must be \"last\" or \"all\"; got \"{value}\""),
    };

    internal override int OutputWidth(int inputWidth) => Hidden;

    /// <summary>
    /// Why the recurrent layer at <paramref name="index"/> of <paramref name="layers"/> (a network's
    /// list when <paramref name="top"/>, else a residual block's) cannot read sequences there; null
    /// when it can or the entry is not a recurrent layer.
    /// </summary>
    internal static string? PlacementError(IReadOnlyList<LayerSpec> layers, int index, bool top)
    {
        if (layers[index] is not RecurrentSpec r)
            return null;
        const string Allowed = "recurrent layers come first in the network's layer list, each after the first following one with \"sequence\": \"all\", and dense, norm, activation and dropout layers after the last of them";
        if (!top)
            return $"a recurrent layer ({r.Cell}) cannot be inside a residual block; {Allowed}";
        if (index == 0)
            return null;
        return layers[index - 1] switch
        {
            RecurrentSpec { Sequence: SequenceOutput.ManyToMany } => null,
            RecurrentSpec previous => $"a recurrent layer ({r.Cell}) reads every step of the layer before it, but that layer ({previous.Cell}) has \"sequence\": \"last\"; give it \"sequence\": \"all\"",
            var other => $"a recurrent layer ({r.Cell}) cannot follow a {other.Type} layer; {Allowed}",
        };
    }

    // Outside the first position a recurrent layer would see one step per row; NetworkSpec builds it with its steps.
    internal override ILayer<T> Create<T>(int inputWidth) => Create<T>(inputWidth, 1);

    /// <summary>
    /// The layer for sequences of <paramref name="steps"/> steps of <paramref name="features"/>
    /// features, read one row per sequence or, with <paramref name="readsStepRows"/>, one per step.
    /// </summary>
    internal SequenceLayer<T> Create<T>(int features, int steps, bool readsStepRows = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RecurrentLayer<T> cell = Cell switch
        {
            "lstm" => new Lstm<T>(features, Hidden),
            "gru" => new Gru<T>(features, Hidden),
            _ => new SimpleRnn<T>(features, Hidden, Nonlinearity),
        };
        return new SequenceLayer<T>(cell, steps, Sequence, readsStepRows);
    }

    /// <summary>PyTorch's initialization of <paramref name="layer"/>, then the forget- and input-gate biases where set.</summary>
    internal void Initialize<T>(SequenceLayer<T> layer, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        layer.Cell.Initialize(rng);
        if (layer.Cell is not Lstm<T> lstm)
            return;

        // PyTorch's gate order is i, f, g, o: the input gate's block is first, the forget gate's second.
        int h = lstm.HiddenSize;
        if (ForgetBias is { } forget)
            SetGateBias(lstm, h, h, forget);
        if (InputBias is { } input)
            SetGateBias(lstm, 0, h, input);
    }

    private static void SetGateBias<T>(Lstm<T> lstm, int start, int h, double bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        lstm.BiasIh.Value.Span.Slice(start, h).Fill(T.CreateTruncating(bias));
        lstm.BiasHh.Value.Span.Slice(start, h).Clear();
    }
}
