using Gradscope.Memory;
using Gradscope.Tensors;

namespace Gradscope.Training;

/// <summary>
/// The memory a network holds while it trains (or runs one forward and backward pass), in bytes,
/// from its shapes alone, so that a run too large for the machine is refused before anything is
/// allocated. Each part counts the arrays the engine really allocates: every layer's parameters
/// and gradients (and the batch split's gradient copies), the optimizer's buffers per parameter
/// (SGD none, momentum 1, Nesterov and RMSprop 2, Adam 3, one more for coupled weight decay),
/// each layer's forward and backward buffers for a batch, the GEMM packing buffers of every core,
/// the monitor's copy of the weights and its trace, and the data set. Tested against the bytes
/// really allocated: never below them, within a factor 1.5 for networks of a few MB and more.
/// </summary>
public sealed record MemoryEstimate
{
    // Object headers, layer objects, lists and dictionaries: small, but never estimated below.
    private const long BookkeepingBytesPerLayer = 2048;

    /// <summary>Parameter values: weights, biases, normalization gains and running statistics.</summary>
    public long Parameters { get; init; }

    /// <summary>Parameter gradients, with the batch split's per-half copies.</summary>
    public long Gradients { get; init; }

    /// <summary>The optimizer's buffers.</summary>
    public long OptimizerState { get; init; }

    /// <summary>Forward and backward buffers of every layer for one batch, and the trainer's batch.</summary>
    public long Activations { get; init; }

    /// <summary>GEMM packing buffers of every core, and object bookkeeping.</summary>
    public long Workspace { get; init; }

    /// <summary>The gradient monitor: its copy of the weights and its trace.</summary>
    public long Monitor { get; init; }

    /// <summary>The data set, with its copies (split, standardized).</summary>
    public long Data { get; init; }

    /// <summary>Values in the largest single array.</summary>
    public long LargestArray { get; init; }

    /// <summary>What the largest array is, for messages ("the weights of dense layer 2 (4096x4096)").</summary>
    public string LargestArrayName { get; init; } = "nothing";

    /// <summary>Everything but the data.</summary>
    public long Model => Sum(Parameters, Gradients, OptimizerState, Activations, Workspace, Monitor);

    /// <summary>Everything.</summary>
    public long Total => Sum(Model, Data);

    /// <summary>The network of <paramref name="spec"/> run as <paramref name="shape"/> says.</summary>
    public static MemoryEstimate For(NetworkSpec spec, MemoryShape shape)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(shape);
        var tally = new MemoryTally(shape.BatchSize) { Steps = spec.Steps };
        var layout = spec.Layout();
        // The first layer's input is data: a dense layer there computes no input gradient (NetworkSpec.BuildUninitialized).
        int width = tally.Layers(layout, spec.InputSize, firstComputesInputGradient: false);
        tally.Dense(width, spec.OutputSize, computesInputGradient: layout.Count > 0, "the output layer");
        return Build(tally, spec, shape);
    }

    /// <summary>Bytes of a data set of <paramref name="rows"/> rows of <paramref name="features"/> features (as <see cref="Data.Dataset"/> holds it).</summary>
    public static long DataSetBytes(long rows, long features) => ByteCounts.DataSet(rows, features);

    /// <summary>
    /// Refuses, before anything is allocated, what needs an array larger than .NET allows or more
    /// memory than the process may use (<see cref="MemoryBudget"/>); <paramref name="what"/> begins
    /// the message ("this run").
    /// </summary>
    /// <exception cref="GradscopeException">An array would exceed <see cref="Array.MaxLength"/>.</exception>
    /// <exception cref="MemoryLimitException">It needs more memory than there is.</exception>
    public void Ensure(string what)
    {
        if (ArrayLimitProblem(what) is { } problem)
            throw new GradscopeException(problem);
        MemoryBudget.Ensure(Total, what, Describe());
    }

    /// <summary>Why no machine can run this (an array over <see cref="Array.MaxLength"/>), or null.</summary>
    public string? ArrayLimitProblem(string what) =>
        LargestArray > Array.MaxLength
            ? $"{what} needs {LargestArrayName} as one array of {LargestArray} values, more than the {Array.MaxLength} an array can hold."
            : null;

    /// <summary>The parts, largest first: <c>parameters 8.1 GB, gradients 8.1 GB, activations 12 MB</c>.</summary>
    public string Describe()
    {
        var parts = new List<(string Name, long Bytes)>
        {
            ("parameters", Parameters), ("gradients", Gradients), ("optimizer state", OptimizerState), ("activations", Activations),
            ("workspace", Workspace), ("monitor", Monitor), ("data", Data),
        };
        parts.RemoveAll(p => p.Bytes == 0);
        parts.Sort((a, b) => b.Bytes.CompareTo(a.Bytes));
        return string.Join(", ", parts.ConvertAll(p => $"{p.Name} {MemoryBudget.Format(p.Bytes)}"));
    }

    private static MemoryEstimate Build(MemoryTally tally, NetworkSpec spec, MemoryShape shape)
    {
        long b = shape.BatchSize;
        int size = shape.ElementSize;
        bool training = shape.Optimizer is not null;

        // The trainer's (or inspection's) batch: inputs, the loss gradient, labels.
        tally.Batch(Product(b, spec.InputWidth), "the batch of inputs");
        tally.Batch(Product(b, spec.OutputSize), "the loss gradient");
        bool splits = training && SplitsBatch(tally, shape);
        long splitCopies = splits ? 2 * tally.DenseParameters : 0;
        return new MemoryEstimate
        {
            Parameters = Product(tally.ParameterValues, size),
            Gradients = Product(Sum(tally.Trainable, splitCopies), size),
            OptimizerState = training ? Product(tally.Trainable, OptimizerBuffers(shape), size) : 0,
            Activations = Sum(Product(tally.BatchValues, size), Product(b, sizeof(int))),
            Workspace = Sum(GemmWorkspace(tally, shape, splits), Product(tally.LayerCount, BookkeepingBytesPerLayer)),
            Monitor = shape.MonitorSteps > 0 ? MonitorBytes(tally, shape) : 0,
            Data = shape.DataBytes,
            LargestArray = tally.Largest,
            LargestArrayName = tally.LargestName,
        };
    }

    // Buffers per parameter value (see ParameterState and each optimizer's Step).
    private static int OptimizerBuffers(MemoryShape shape)
    {
        string name = shape.Optimizer!.Trim().ToLowerInvariant();
        int coupledDecay = shape.WeightDecay > 0 && name != "adamw" ? 1 : 0;
        int buffers = name switch
        {
            "momentum" => 1,
            "nesterov" or "rmsprop" => 2,
            "adam" or "adamw" => 3,
            _ => 0,
        };
        return buffers + coupledDecay;
    }

    // The batch split's rule (BatchSplit.TryCreate): each half has its own weight gradients.
    private static bool SplitsBatch(MemoryTally tally, MemoryShape shape) =>
        shape.SplitBatch && GemmWorkers.HasWorkers && shape.BatchSize >= BatchSplit<float>.MinRows && tally.OnlyDenseAndActivation
        && BatchSplit<float>.MostlySmallProducts(tally.DenseShapes, shape.BatchSize);

    // Per thread that packs: two A blocks of Mc x Kc and a B block of Kc x Nc (GemmJob.Parallel).
    // Products large enough to share run on every core plus one shared set; otherwise the calling
    // thread packs alone, or with the batch split's worker.
    private static long GemmWorkspace(MemoryTally tally, MemoryShape shape, bool splits)
    {
        int size = shape.ElementSize;
        long kc = GemmKernel.DepthBlock((int)Math.Min(tally.MaxDepth, int.MaxValue));
        long nc = Math.Min(GemmKernel.Nc, tally.MaxColumns) + GemmMicroKernel.MaxNr;
        long mc = size == sizeof(double) ? GemmKernel.McFor<double>() : GemmKernel.McFor<float>();
        long perThread = Product(Sum(Product(2 * mc, kc), Product(nc, kc)), size);
        long largestProduct = 0;
        foreach (var (input, output) in tally.DenseShapes)
            largestProduct = Math.Max(largestProduct, Product(shape.BatchSize, input, output));
        int threads = largestProduct >= GemmKernel.ParallelThreshold ? Math.Clamp(Environment.ProcessorCount, 1, GemmWorkers.MaxParts) + 1
            : splits ? 2 : 1;
        return Product(perThread, threads);
    }

    /// <summary>
    /// Statistics the gradient monitor records per dense layer and step (Diagnostics' LayerStatNames.Count,
    /// which a test holds it to): the monitor sits above training, so training cannot ask it.
    /// </summary>
    internal const int MonitorStatisticsPerLayer = 11;

    // GradientMonitor: the previous weights (for update ratios), alive units, and a trace of every
    // statistic of every dense layer for each expected step (see Gradscope.Lab's MonitoredRun.ExpectedSteps).
    private static long MonitorBytes(MemoryTally tally, MemoryShape shape)
    {
        long weights = Product(tally.DenseWeights, shape.ElementSize);
        long trace = Product(Sum(Product(MonitorStatisticsPerLayer, tally.DenseShapes.Count), 1), shape.MonitorSteps, sizeof(double));
        return Sum(weights, trace, Product(tally.MaxColumns, shape.ElementSize));
    }

    internal static long Sum(params ReadOnlySpan<long> values) => ByteCounts.Sum(values);

    internal static long Product(params ReadOnlySpan<long> values) => ByteCounts.Product(values);
}
