using System.Diagnostics;
using System.Numerics;
using Gradscope.Layers;
using Gradscope.Tensors;
using Gradscope.Training;

namespace Gradscope.Diagnostics;

/// <summary>
/// Records every <see cref="LayerStat"/> of every dense layer at every scheduled step into a
/// <see cref="Trace"/>, reading what the layers already hold (no extra forward or backward pass),
/// with vectorized reductions and buffers sized once: a steady-state step allocates nothing unless
/// histograms are due or the trace grows.
/// </summary>
public sealed class GradientMonitor<T> : ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Recurrent.SequenceLayer<T>[] _recurrent; // trace layers 0 .. _offset - 1
    private readonly int _offset;                              // trace index of dense layer 0
    private readonly Dense<T>[] _dense;
    private readonly ActivationLayer<T>?[] _activations;
    private readonly T[][] _previousWeights;
    private readonly T[] _alive;
    private readonly MonitorOptions _options;
    private readonly (double Low, double High) _activationRange;
    private int _currentStep = -1;
    private bool _measureUpdate;
    private long _startTimestamp;

    /// <summary>Attaches to <paramref name="network"/>; <paramref name="expectedSteps"/> sizes the trace.</summary>
    public GradientMonitor(Sequential<T> network, MonitorOptions options, int expectedSteps = 256)
    {
        _options = options;
        var dense = new List<Dense<T>>();
        var activations = new List<ActivationLayer<T>?>();
        var names = new List<string>();
        var inputs = new List<int>();
        var widths = new List<int>();
        string activationName = "identity";
        int maxWidth = 1;
        var recurrent = new List<Recurrent.SequenceLayer<T>>();
        var watchedLayers = new List<WatchedLayer>();
        foreach (var leaf in LayerTree.Leaves(network))
        {
            if (leaf.Layer is not Recurrent.SequenceLayer<T> sequence)
                continue;
            recurrent.Add(sequence);
            string nonlinearity = sequence.Cell is Recurrent.SimpleRnn<T> rnn ? rnn.Nonlinearity : "tanh";
            watchedLayers.Add(new WatchedLayer(new LayerRef(names.Count + 1, leaf.Path), sequence.Kind, nonlinearity, sequence.FeaturesPerStep, sequence.OutputSize));
            names.Add(leaf.Path);
            inputs.Add(sequence.FeaturesPerStep);
            widths.Add(sequence.OutputSize);
        }

        _recurrent = [.. recurrent];
        _offset = _recurrent.Length;
        foreach (var watched in MonitoredLayers.Find(network))
        {
            dense.Add(watched.Dense);
            activations.Add(watched.Activation);
            names.Add(watched.Name);
            inputs.Add(watched.Dense.InputSize);
            widths.Add(watched.Dense.OutputSize);
            maxWidth = Math.Max(maxWidth, watched.Dense.OutputSize);
            if (watched.Activation is not null)
                activationName = watched.Activation.Activation.Name;
            watchedLayers.Add(new WatchedLayer(new LayerRef(names.Count, watched.Name), "dense", watched.Activation?.Activation.Name ?? "identity", watched.Dense.InputSize, watched.Dense.OutputSize));
        }

        Layers = [.. watchedLayers];

        _dense = [.. dense];
        _activations = [.. activations];
        foreach (var activation in _activations)
        {
            if (activation is not null)
                activation.CollectsSaturation = true;
        }

        _previousWeights = new T[_dense.Length][];
        for (int l = 0; l < _dense.Length; l++)
            _previousWeights[l] = new T[_dense[l].Weight.Value.Length];
        _alive = new T[maxWidth];
        _activationRange = Histograms.ActivationRange(activationName);
        Trace = new Trace(names, inputs, widths, activationName, expectedSteps);
        for (int r = 0; r < _recurrent.Length; r++)
        {
            var cell = _recurrent[r].Cell;
            Trace.ThroughTime.Add(new TimeGradients(r, _recurrent[r].Kind, new TimeTrace(_recurrent[r].Steps, expectedSteps),
                cell.MaxRecurrentDerivative, Recurrent.SpectralNorm.Largest(cell.WeightHh.Value)));
        }
    }

    /// <summary>The layers watched, in trace order, with their kinds and activations.</summary>
    public IReadOnlyList<WatchedLayer> Layers { get; }

    /// <summary>What has been recorded so far.</summary>
    public Trace Trace { get; }

    /// <inheritdoc/>
    public void OnGradients(Sequential<T> model, in StepInfo step)
    {
        _currentStep = -1;
        if (step.Step % _options.ScalarEvery != 0)
            return;
        long now = Stopwatch.GetTimestamp();
        if (Trace.StepCount == 0)
            _startTimestamp = now;
        int s = Trace.BeginStep(step.Step, step.Loss, step.LearningRate, Stopwatch.GetElapsedTime(_startTimestamp, now).TotalSeconds);
        _currentStep = s;
        bool finite = double.IsFinite(step.Loss);
        for (int r = 0; r < _recurrent.Length; r++)
        {
            finite &= RecurrentProbe.Measure(Trace, s, r, _recurrent[r]);
            Trace.ThroughTime[r].Norms.Record(_recurrent[r].Cell.HiddenGradNorms);
        }

        for (int l = 0; l < _dense.Length; l++)
            finite &= MeasureLayer(s, l);
        if (!finite && Trace.FirstNonFinite is null)
            LocateNonFinite(s, step.Loss);
        if (_options.HistogramsDue(step.Step))
            RecordHistograms(s);
        _measureUpdate = step.Step % (_options.ScalarEvery * _options.UpdateEvery) == 0;
        if (_measureUpdate)
        {
            for (int l = 0; l < _dense.Length; l++)
                _dense[l].Weight.Value.Span.CopyTo(_previousWeights[l]);
        }
        else
        {
            for (int l = 0; l < _dense.Length; l++)
            {
                Trace.Set(LayerStat.WeightNorm, s, l + _offset, double.NaN);
                Trace.Set(LayerStat.UpdateRatio, s, l + _offset, double.NaN);
            }
        }
    }

    /// <inheritdoc/>
    public void OnStepEnd(Sequential<T> model, in StepInfo step)
    {
        if (_currentStep < 0 || !_measureUpdate)
            return;
        // The weights before this step were copied in OnGradients; one pass measures both norms and the update.
        for (int l = 0; l < _dense.Length; l++)
        {
            var (after, before, distance) = Reductions.SquaresAndDistance<T>(_dense[l].Weight.Value.Span, _previousWeights[l]);
            Trace.Set(LayerStat.WeightNorm, _currentStep, l + _offset, Math.Sqrt(after));
            Trace.Set(LayerStat.UpdateRatio, _currentStep, l + _offset, before > 0 ? Math.Sqrt(distance) / Math.Sqrt(before) : double.NaN);
        }
    }

    /// <inheritdoc/>
    public void OnEpochEnd(EpochResult epoch) => Trace.Epochs.Add(epoch);

    // Returns false when the layer's gradient or output holds a NaN or infinity.
    private bool MeasureLayer(int s, int l)
    {
        var dense = _dense[l];
        var activation = _activations[l];
        // Observers run right after the backward pass, so the sum its GEMM computed is current.
        double gradSquares = dense.WeightGradSumOfSquares;
        Trace.Set(LayerStat.GradNorm, s, l + _offset, Math.Sqrt(gradSquares));
        Trace.Set(LayerStat.GradRms, s, l + _offset, Math.Sqrt(gradSquares / dense.Weight.Grad.Length));
        Trace.Set(LayerStat.BiasGradNorm, s, l + _offset, Math.Sqrt(Reductions.SumOfSquares<T>(dense.Bias.Grad.Span)));
        var delta = dense.GradOutput;
        double deltaRms = 0;
        if (delta is not null && delta.Length > 0)
        {
            // When the activation sits right after the dense layer, its backward pass already summed
            // the squares of this very matrix (asked to by CollectsSaturation).
            double deltaSquares = activation is { CollectsSaturation: true } && ReferenceEquals(delta, activation.GradInput)
                ? activation.GradInputSumOfSquares
                : Reductions.SumOfSquares<T>(delta.Span);
            deltaRms = Math.Sqrt(deltaSquares / delta.Length);
        }

        Trace.Set(LayerStat.DeltaRms, s, l + _offset, deltaRms);

        var output = activation?.Output ?? dense.Output;
        double sum, squares, saturated = 0, dead = 0;
        if (activation is not null && output.Length > 0)
        {
            // Saturation, dead units and the output's moments in one pass over the activation.
            var stats = MeasureSaturation(activation, out dead);
            (sum, squares) = (stats.Sum, stats.SumOfSquares);
            saturated = (double)stats.Saturated / output.Length;
        }
        else
        {
            (sum, squares) = Reductions.SumAndSquares<T>(output.Span);
        }

        int n = Math.Max(1, output.Length);
        double mean = sum / n;
        Trace.Set(LayerStat.ActMean, s, l + _offset, mean);
        Trace.Set(LayerStat.ActStd, s, l + _offset, Math.Sqrt(Math.Max(0, (squares / n) - (mean * mean))));
        Trace.Set(LayerStat.Saturated, s, l + _offset, saturated);
        Trace.Set(LayerStat.Dead, s, l + _offset, dead);

        // The sums of squares settle it without a pass when finite; an overflowed one (doubles
        // above 1.3e154) is not a non-finite value, so then the values themselves are tested.
        double nonFinite = 0;
        bool finite = Reductions.AllFinite<T>(dense.Weight.Grad.Span, gradSquares) && Reductions.AllFinite<T>(output.Span, squares);
        if (!finite)
            nonFinite = CountNonFinite(dense.Weight.Grad.Span) + CountNonFinite(output.Span);
        Trace.Set(LayerStat.NonFinite, s, l + _offset, nonFinite);
        return finite;
    }

    private SaturationStats MeasureSaturation(ActivationLayer<T> activation, out double deadFraction)
    {
        // The backward pass measured them already when it could (the monitor asked it to).
        if (activation.CollectsSaturation && activation.AliveUnits.Length == activation.Size)
        {
            deadFraction = DeadFraction(activation.AliveUnits);
            return activation.LastSaturation;
        }

        Span<T> alive = _alive.AsSpan(0, activation.Size);
        alive.Clear();
        var stats = activation.MeasureSaturation(alive);
        deadFraction = DeadFraction(alive);
        return stats;
    }

    private static double DeadFraction(ReadOnlySpan<T> alive)
    {
        int dead = 0;
        foreach (var flag in alive)
        {
            if (flag == T.Zero)
                dead++;
        }

        return (double)dead / alive.Length;
    }

    private static int CountNonFinite(ReadOnlySpan<T> values)
    {
        var (nan, inf) = Reductions.CountNonFinite(values);
        return nan + inf;
    }

    // In the order the step computed them: each layer's pre-activation and output (forward), the
    // loss, then the weight gradients from the last layer back (backward). The first that holds a
    // NaN or infinity, tested value by value, is where it was born.
    private void LocateNonFinite(int s, double loss)
    {
        for (int l = 0; l < _dense.Length; l++)
        {
            bool outputFinite = _activations[l] is not { } activation || Reductions.AllFinite<T>(activation.Output.Span);
            if (!Reductions.AllFinite<T>(_dense[l].Output.Span) || !outputFinite)
            {
                Trace.FirstNonFinite = new NonFiniteEvent(s, l + _offset, "activation");
                return;
            }
        }

        if (!double.IsFinite(loss))
        {
            Trace.FirstNonFinite = new NonFiniteEvent(s, _offset + _dense.Length - 1, "loss");
            return;
        }

        for (int l = _dense.Length - 1; l >= 0; l--)
        {
            if (Trace[LayerStat.NonFinite, s, l + _offset] > 0)
            {
                Trace.FirstNonFinite = new NonFiniteEvent(s, l + _offset, "gradient");
                return;
            }
        }
    }

    private void RecordHistograms(int s)
    {
        for (int l = 0; l < _dense.Length; l++)
        {
            Trace.Histograms.Add(new HistogramRecord(s, l + _offset, HistogramKind.Gradient, Histograms.Gradient<T>(_dense[l].Weight.Grad.Span)));
            var output = _activations[l]?.Output ?? _dense[l].Output;
            Trace.Histograms.Add(new HistogramRecord(s, l + _offset, HistogramKind.Activation, Histograms.Activation<T>(output.Span, _activationRange.Low, _activationRange.High)));
        }
    }
}
