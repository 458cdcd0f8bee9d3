using System.CommandLine;

namespace Gradscope.Cli.Commands;

/// <summary>The options of <c>gradscope train</c>, declared once and read back from a parse result.</summary>
internal sealed class TrainOptions
{
    public Option<string> Data { get; } = new("--data")
    {
        Description = "Data set: spiral, moons, circles, xor, checkerboard, blobs, teacher, digits, fashion-mnist, mnist; a sequence task: adding, temporal-order, copy (with --seq-len, --samples; train it with a model spec that starts with an rnn, lstm or gru layer; copy scores every step, so its last recurrent layer has \"sequence\": \"all\"); or a file: CSV, or .npz / .safetensors with float features x [N, F] and integer labels y [N], or sequences x [N, T, F] with y [N] (one label per sequence; a dense network reads each sequence flat) or y [N, T] (one per step, for a network whose last recurrent layer has \"sequence\": \"all\").",
        DefaultValueFactory = _ => "spiral",
    };

    public Option<string?> DataDir { get; } = CommonOptions.DataDir();

    public Option<string?> Label { get; } = CommonOptions.Label();

    public Option<int?> Samples { get; } = new("--samples") { Description = "Rows to generate (synthetic sets), sequences per epoch of a sequence task (default 4096, drawn afresh every epoch), or rows to read at most (IDX)." };

    public Option<int?> SeqLen { get; } = new("--seq-len") { Description = "Sequence length T of a sequence task (adding, copy, temporal-order); default 50." };

    public Option<int?> Classes { get; } = new("--classes") { Description = "Classes of a synthetic set (spiral arms, blobs, teacher outputs)." };

    public Option<double?> Noise { get; } = new("--noise") { Description = "Noise level of a synthetic set." };

    public Option<string> Layers { get; } = new("--layers")
    {
        Description = "Hidden layers: '10x32' (ten layers of 32 units) or '64,32,16'.",
        DefaultValueFactory = _ => "4x32",
    };

    public Option<string> Activation { get; } = new("--activation")
    {
        Description = "Hidden activation: identity, sigmoid, tanh, hard-tanh, softsign, relu, leaky-relu, elu, selu, gelu, silu, softplus.",
        DefaultValueFactory = _ => "relu",
    };

    public Option<string> Norm { get; } = new("--norm")
    {
        Description = "Normalization after each hidden dense layer, before its activation: none, batch or layer.",
        DefaultValueFactory = _ => "none",
    };

    public Option<bool> Residual { get; } = new("--residual") { Description = "Skip connections: hidden layers in pre-activation residual blocks of 2 dense layers (a projection where the width changes)." };

    public Option<double> Dropout { get; } = new("--dropout") { Description = "Dropout probability after each hidden activation, in [0, 1).", DefaultValueFactory = _ => 0 };

    public Option<string?> ModelSpec { get; } = new("--model-spec")
    {
        Description = "JSON file listing the hidden layers (dense, batchnorm, layernorm, activation, dropout, residual); replaces --layers, --activation, --norm, --residual and --dropout.",
    };

    public Option<string> Init { get; } = new("--init")
    {
        Description = "Weight initializer: auto (He for ReLU family, LeCun for SELU, Glorot otherwise), standard, normal:STD, uniform:STD, glorot-normal, glorot-uniform, he-normal, he-uniform, lecun-normal, lecun-uniform, orthogonal; ':gain=G' and ':bias=B' may follow.",
        DefaultValueFactory = _ => "auto",
    };

    public Option<string> Optimizer { get; } = new("--optimizer")
    {
        Description = "sgd, momentum, nesterov, rmsprop, adam or adamw.",
        DefaultValueFactory = _ => "sgd",
    };

    public Option<double?> LearningRate { get; } = new("--lr") { Description = "Learning rate (default 0.1 for the SGD family, 0.001 for adaptive ones)." };

    public Option<double?> Momentum { get; } = new("--momentum") { Description = "Momentum for momentum and nesterov (default 0.9)." };

    public Option<double?> WeightDecay { get; } = new("--weight-decay") { Description = "Weight decay (L2; decoupled for adamw)." };

    public Option<string> Schedule { get; } = new("--schedule")
    {
        Description = "Learning-rate schedule: constant, step[:STEP_SIZE[:GAMMA]] or cosine[:MIN_LR].",
        DefaultValueFactory = _ => "constant",
    };

    public Option<string> Loss { get; } = new("--loss")
    {
        Description = "Loss: cross-entropy (softmax, fused), bce or mse.",
        DefaultValueFactory = _ => "cross-entropy",
    };

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => 30 };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Rows per mini-batch.", DefaultValueFactory = _ => 64 };

    public Option<int?> MaxSteps { get; } = new("--max-steps") { Description = "Stop after this many steps." };

    public Option<double?> TestSplit { get; } = new("--test-split")
    {
        Description = "Fraction of rows held out (0 for none). Default 0.2, a test split; for fashion-mnist and mnist with their official test files (t10k-*) present, those are the test set, the default is 0, and a fraction holds out a validation split of the training files.",
    };

    public Option<bool> NoStandardize { get; } = new("--no-standardize") { Description = "Do not standardize features (by default: zero mean, unit variance, fitted on the training split and saved with the model)." };

    public Option<double?> ClipNorm { get; } = new("--clip-norm") { Description = "Clip the gradients' global L2 norm to this value." };

    public Option<double?> ClipValue { get; } = new("--clip-value") { Description = "Clip each gradient element to [-v, v]." };

    public Option<int> Seed { get; } = CommonOptions.Seed();

    public Option<string> Dtype { get; } = CommonOptions.Dtype();

    public Option<string?> Save { get; } = new("--save") { Description = "Write the trained model to this safetensors file." };

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<string> Monitor { get; } = new("--monitor")
    {
        Description = "Gradient monitor: cheap (every statistic of every layer at every step), standard (+ histograms every 50 steps), full (+ histograms every step) or off.",
        DefaultValueFactory = _ => "cheap",
    };

    public Option<string?> Trace { get; } = new("--trace") { Description = "Write the monitor's trace to this file (JSON Lines: a header line, one line per step, histograms, epochs)." };

    public Option<string?> Report { get; } = new("--report") { Description = "Write an interactive HTML report of the run to this file: one self-contained page (heatmaps, per-layer curves, histograms, findings, configuration) that works offline. Records histograms (--monitor standard) unless --monitor is given." };

    public Option<string?> RunSpec { get; } = new("--run-spec")
    {
        Description = "Run the run description in this JSON file (as --print-spec or a --json result's \"spec\" writes it) instead of the data, network, init, optimizer, loss, budget, dtype and seed options.",
    };

    public Option<bool> PrintSpec { get; } = new("--print-spec") { Description = "Print the run description (JSON) that the options make, and exit without training." };

    /// <summary>The options a run description replaces; giving one beside --run-spec is bad usage.</summary>
    public IEnumerable<Option> Described =>
    [
        Data, DataDir, Label, Samples, SeqLen, Classes, Noise, Layers, Activation, Norm, Residual, Dropout, ModelSpec, Init, Optimizer, LearningRate, Momentum,
        WeightDecay, Schedule, Loss, Epochs, BatchSize, MaxSteps, TestSplit, NoStandardize, ClipNorm, ClipValue, Seed, Dtype,
    ];

    /// <summary>The options that build the hidden layers; a model spec replaces them, so giving one beside --model-spec is bad usage.</summary>
    public IEnumerable<Option> Layout => [Layers, Activation, Norm, Residual, Dropout];

    public IEnumerable<Option> All =>
    [
        Data, DataDir, Label, Samples, SeqLen, Classes, Noise, Layers, Activation, Norm, Residual, Dropout, ModelSpec, Init, Optimizer, LearningRate, Momentum,
        WeightDecay, Schedule, Loss, Epochs, BatchSize, MaxSteps, TestSplit, NoStandardize, ClipNorm, ClipValue, Seed,
        Dtype, Save, Json, Monitor, Trace, Report, RunSpec, PrintSpec,
    ];
}
