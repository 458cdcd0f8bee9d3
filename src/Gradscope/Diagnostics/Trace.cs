namespace Gradscope.Diagnostics;

/// <summary>
/// What a <see cref="GradientMonitor{T}"/> recorded: every <see cref="LayerStat"/> for every dense
/// layer at every step, as compact arrays (one <c>double[steps * layers]</c> per statistic), the
/// loss per step, histograms on their schedule, and where a non-finite value first appeared.
/// </summary>
public sealed class Trace
{
    private readonly double[][] _stats;
    private double[] _loss;
    private int[] _stepNumbers;
    private double[] _learningRates;
    private double[] _wallSeconds;
    private int _capacity;

    /// <summary>Creates an empty trace for the named layers, with room for <paramref name="expectedSteps"/> steps.</summary>
    public Trace(IReadOnlyList<string> layerNames, IReadOnlyList<int> layerInputs, IReadOnlyList<int> layerWidths, string activation, int expectedSteps = 256)
    {
        LayerNames = [.. layerNames];
        LayerInputs = [.. layerInputs];
        LayerWidths = [.. layerWidths];
        Activation = activation;
        _capacity = Math.Max(1, expectedSteps);
        _stats = new double[LayerStatNames.Count][];
        for (int s = 0; s < _stats.Length; s++)
            _stats[s] = new double[_capacity * LayerNames.Count];
        _loss = new double[_capacity];
        _stepNumbers = new int[_capacity];
        _learningRates = new double[_capacity];
        _wallSeconds = new double[_capacity];
    }

    /// <summary>Dense layers' tensor-name prefixes, input to output.</summary>
    public IReadOnlyList<string> LayerNames { get; }

    /// <summary>Inputs (fan-in) per dense layer.</summary>
    public IReadOnlyList<int> LayerInputs { get; }

    /// <summary>Units (fan-out) per dense layer.</summary>
    public IReadOnlyList<int> LayerWidths { get; }

    /// <summary>The hidden activation's name.</summary>
    public string Activation { get; }

    /// <summary>Number of dense layers.</summary>
    public int LayerCount => LayerNames.Count;

    /// <summary>Steps recorded.</summary>
    public int StepCount { get; private set; }

    /// <summary>Histograms recorded, in step order.</summary>
    public List<HistogramRecord> Histograms { get; } = [];

    /// <summary>Epoch summaries, when the trace came from a trainer.</summary>
    public List<Training.EpochResult> Epochs { get; } = [];

    /// <summary>
    /// Gradients through time: for each recurrent layer, ||dL/dh_t|| at every step t of the sequence,
    /// recorded at the same steps as the layer statistics (one row per trace step).
    /// </summary>
    public List<TimeGradients> ThroughTime { get; } = [];

    /// <summary>The first step and layer where a NaN or infinity appeared, or null. Set by the monitor, or by a reader rebuilding a stored trace.</summary>
    public NonFiniteEvent? FirstNonFinite { get; set; }

    /// <summary>Statistic <paramref name="stat"/> of layer <paramref name="layer"/> at step <paramref name="step"/>.</summary>
    public double this[LayerStat stat, int step, int layer] => _stats[(int)stat][(step * LayerCount) + layer];

    /// <summary>The statistic for every layer at one step.</summary>
    public ReadOnlySpan<double> AtStep(LayerStat stat, int step) => _stats[(int)stat].AsSpan(step * LayerCount, LayerCount);

    /// <summary>The mean loss of the batch at <paramref name="step"/>.</summary>
    public double Loss(int step) => _loss[step];

    /// <summary>
    /// The training step (from 0) that recorded index <paramref name="step"/> was measured at: equal
    /// to the index when every step is measured, a multiple of the monitor's scalar interval otherwise.
    /// </summary>
    public int StepNumber(int step) => _stepNumbers[step];

    /// <summary>The learning rate in force at recorded index <paramref name="step"/> (NaN when unknown).</summary>
    public double LearningRate(int step) => _learningRates[step];

    /// <summary>Seconds from the start of recording to recorded index <paramref name="step"/> (NaN when unknown).</summary>
    public double WallSeconds(int step) => _wallSeconds[step];

    /// <summary>One layer's statistic over all steps (a copy).</summary>
    public double[] Series(LayerStat stat, int layer)
    {
        var series = new double[StepCount];
        for (int s = 0; s < StepCount; s++)
            series[s] = this[stat, s, layer];
        return series;
    }

    /// <summary>
    /// Per layer, the median of <paramref name="stat"/> over steps [<paramref name="from"/>,
    /// <paramref name="to"/>), ignoring non-finite values (NaN when none is finite).
    /// </summary>
    public double[] MedianOver(LayerStat stat, int from, int to)
    {
        from = Math.Clamp(from, 0, StepCount);
        to = Math.Clamp(to, from, StepCount);
        var result = new double[LayerCount];
        var window = new List<double>(to - from);
        for (int layer = 0; layer < LayerCount; layer++)
        {
            window.Clear();
            for (int s = from; s < to; s++)
            {
                double v = this[stat, s, layer];
                if (double.IsFinite(v))
                    window.Add(v);
            }

            result[layer] = Median(window);
        }

        return result;
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
            return double.NaN;
        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
    }

    /// <summary>Starts a step with its loss; returns its index. Grows the arrays (doubling) when full.</summary>
    internal int BeginStep(double loss) => BeginStep(StepCount, loss, double.NaN, double.NaN);

    /// <summary>
    /// Starts recorded index <see cref="StepCount"/> for training step <paramref name="stepNumber"/>
    /// with its loss, learning rate and wall time; returns the index. Grows the arrays (doubling) when full.
    /// </summary>
    internal int BeginStep(int stepNumber, double loss, double learningRate, double wallSeconds)
    {
        if (StepCount == _capacity)
            Grow();
        _loss[StepCount] = loss;
        _stepNumbers[StepCount] = stepNumber;
        _learningRates[StepCount] = learningRate;
        _wallSeconds[StepCount] = wallSeconds;
        return StepCount++;
    }

    internal void Set(LayerStat stat, int step, int layer, double value) =>
        _stats[(int)stat][(step * LayerCount) + layer] = value;

    /// <summary>
    /// Appends one recorded step from stored numbers, for readers that rebuild a trace (a run store,
    /// a trace file): training step <paramref name="stepNumber"/>, its loss, learning rate and wall
    /// time (NaN when unknown), and <paramref name="stats"/>, every statistic of every layer,
    /// statistic-major (<c>[LayerStat][layer]</c>, <see cref="LayerStatNames.Count"/> x
    /// <see cref="LayerCount"/> values). Returns the step's index.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="stats"/> has the wrong length.</exception>
    public int AppendStep(int stepNumber, double loss, double learningRate, double wallSeconds, ReadOnlySpan<double> stats)
    {
        if (stats.Length != LayerStatNames.Count * LayerCount)
            throw new ArgumentException($"Expected {LayerStatNames.Count * LayerCount} statistics ({LayerStatNames.Count} x {LayerCount} layers); got {stats.Length}.", nameof(stats));
        int s = BeginStep(stepNumber, loss, learningRate, wallSeconds);
        for (int stat = 0; stat < _stats.Length; stat++)
            stats.Slice(stat * LayerCount, LayerCount).CopyTo(_stats[stat].AsSpan(s * LayerCount, LayerCount));
        return s;
    }

    private void Grow()
    {
        _capacity *= 2;
        for (int s = 0; s < _stats.Length; s++)
            Array.Resize(ref _stats[s], _capacity * LayerCount);
        Array.Resize(ref _loss, _capacity);
        Array.Resize(ref _stepNumbers, _capacity);
        Array.Resize(ref _learningRates, _capacity);
        Array.Resize(ref _wallSeconds, _capacity);
    }
}

/// <summary>A recurrent layer's gradients through time: its trace layer index and ||dL/dh_t|| per recorded step.</summary>
/// <param name="Layer">The recurrent layer's index among the trace's layers.</param>
/// <param name="Kind">The cell: <c>rnn</c>, <c>lstm</c> or <c>gru</c>.</param>
/// <param name="Norms">One row of sequence-length norms per recorded step.</param>
/// <param name="MaxRecurrentDerivative">gamma, the largest |phi'| on the recurrent path (Pascanu et al. 2013).</param>
/// <param name="RecurrentNorm">lambda_1, the largest singular value of the recurrent weight at the first recorded step.</param>
public sealed record TimeGradients(int Layer, string Kind, TimeTrace Norms, double MaxRecurrentDerivative, double RecurrentNorm);

/// <summary>Where a NaN or infinity first appeared: the step, the dense layer index, and in what (gradient, activation or loss).</summary>
public sealed record NonFiniteEvent(int Step, int Layer, string Where);
