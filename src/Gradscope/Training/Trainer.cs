using System.Numerics;
using Gradscope.Data;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Tensors;

namespace Gradscope.Training;

/// <summary>
/// Mini-batch training: seeded shuffling, forward, loss, backward, optional clipping, optimizer
/// step, observers; evaluation after each epoch. Buffers are sized once for the batch size, so a
/// steady-state <see cref="Step"/> allocates nothing. Same seed, same machine: same weights, bit
/// for bit.
/// </summary>
public sealed partial class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TrainerOptions _options;
    private readonly ILearningRateSchedule? _schedule;
    private readonly List<ITrainingObserver<T>> _observers = [];
    private readonly BatchSplit<T>? _split;
    private Matrix<T> _input;
    private Matrix<T> _gradOutput;
    private int[] _labels;
    private readonly Matrix<T> _targets;
    private RegressionTargets? _regression; // the loaded batch's data set, when it is a regression task
    private StepLabels? _stepLabels;        // the loaded batch's data set, when it has a label per step
    private int _step;

    /// <summary>Creates a trainer for <paramref name="model"/>.</summary>
    public Trainer(Sequential<T> model, ILoss<T> loss, IOptimizer<T> optimizer, TrainerOptions options, ILearningRateSchedule? schedule = null)
    {
        options.Validate();
        Model = model;
        Loss = loss;
        Optimizer = optimizer;
        _options = options;
        _schedule = schedule;
        _input = new Matrix<T>(options.BatchSize, model.InputSize);
        _gradOutput = new Matrix<T>(options.BatchSize, model.OutputSize);
        _labels = new int[options.BatchSize];
        _targets = new Matrix<T>(0, model.OutputSize);
        // A trainer made inside ComputeThreads.SingleThreaded() keeps to its thread: no split.
        if (options.SplitBatch && !ComputeThreads.IsSingleThreaded)
            _split = BatchSplit<T>.TryCreate(model, loss, options.BatchSize);
    }

    /// <summary>True when batches of at least 32 rows run as two halves on two cores (see <see cref="TrainerOptions.SplitBatch"/>).</summary>
    public bool SplitsBatches => _split is not null;

    /// <summary>The network being trained.</summary>
    public Sequential<T> Model { get; }

    /// <summary>The loss minimized.</summary>
    public ILoss<T> Loss { get; }

    /// <summary>The optimizer.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>Steps taken so far.</summary>
    public int StepCount => _step;

    /// <summary>Adds an observer called inside every step and after every epoch.</summary>
    public void AddObserver(ITrainingObserver<T> observer) => _observers.Add(observer);

    /// <summary>
    /// Trains for the configured epochs (or steps). Stops early, with
    /// <see cref="TrainingStatus.Diverged"/> and a message, when the loss becomes NaN or infinite;
    /// and with <see cref="TrainingStatus.Interrupted"/> at the first step boundary after
    /// <paramref name="cancellation"/> is signalled (a partly run epoch is then evaluated, so the
    /// result describes the weights as they are). A training set with <see cref="Dataset.EpochRefill"/>
    /// is refilled once at the start of every epoch.
    /// </summary>
    public TrainingResult Train(Dataset train, Dataset? test = null, CancellationToken cancellation = default)
    {
        CheckData(train, "training");
        if (test is not null)
            CheckData(test, "test");
        var order = new int[train.Count];
        var rng = new SeededRandom(_options.Seed);
        var epochs = new List<EpochResult>();
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            if (_schedule is not null)
                Optimizer.LearningRate = _schedule.At(epoch);

            // A generator that never runs out draws this epoch's rows in place (same count and shape),
            // unless the step budget leaves the epoch no step.
            if (!StepBudgetSpent)
                train.EpochRefill?.Refill(epoch);
            for (int i = 0; i < order.Length; i++)
                order[i] = i;
            rng.Shuffle(order.AsSpan());

            int stepsThisEpoch = 0;
            for (int start = 0; start < order.Length; start += _options.BatchSize)
            {
                if (cancellation.IsCancellationRequested)
                    return Finish(epochs, epoch, stepsThisEpoch, train, test, TrainingStatus.Interrupted, InterruptedMessage(epoch));
                if (StepBudgetSpent)
                    return Finish(epochs, epoch, stepsThisEpoch, train, test, TrainingStatus.Completed, null);
                int size = Math.Min(_options.BatchSize, order.Length - start);
                double loss = Step(train, order.AsSpan(start, size), epoch);
                stepsThisEpoch++;
                if (!double.IsFinite(loss))
                    return Finish(epochs, epoch, stepsThisEpoch, train, test, TrainingStatus.Diverged, DivergedMessage(loss, epoch));
            }

            EndEpoch(epochs, epoch, stepsThisEpoch, train, test);
        }

        return new TrainingResult(epochs, _step, TrainingStatus.Completed, null);
    }

    /// <summary>
    /// One training step on the rows <paramref name="batch"/> of <paramref name="data"/>: returns
    /// the batch's mean loss (before the update). Does not update when the loss is not finite.
    /// </summary>
    public double Step(Dataset data, ReadOnlySpan<int> batch, int epoch = 0)
    {
        LoadBatch(data, batch);
        Model.ZeroGrad();
        double loss = double.CreateTruncating(ForwardAndBackward(batch.Length));
        var info = new StepInfo(_step, epoch, loss, batch.Length, Optimizer.LearningRate);
        foreach (var observer in _observers)
            observer.OnGradients(Model, info);

        // A non-finite loss stops training; observers have seen the step (to locate the NaN), the weights stay as they were.
        if (!double.IsFinite(loss))
            return loss;
        if (_options.ClipNorm is { } norm)
            GradientClipping.ClipByGlobalNorm(Model.Parameters, norm);
        if (_options.ClipValue is { } value)
            GradientClipping.ClipByValue(Model.Parameters, value);
        Optimizer.Step(Model.Parameters);
        foreach (var observer in _observers)
            observer.OnStepEnd(Model, info);
        _step++;
        return loss;
    }

    // The loaded batch's forward pass, loss and backward pass: returns the mean loss.
    private T ForwardAndBackward(int rows)
    {
        if (_regression is not null)
        {
            var predicted = Model.Forward(_input, training: true);
            T error = RegressionLoss.ComputeTargets(predicted, _targets.Span, _gradOutput);
            Model.Backward(_gradOutput);
            return error;
        }

        // The halves split rows of the input; per-step labels count rows of the output, so those run whole.
        if (_split is not null && rows >= BatchSplit<T>.MinRows && _stepLabels is null)
            return _split.Run(_input, _labels, _gradOutput);
        var output = Model.Forward(_input, training: true);
        T loss = Loss.Compute(output, _labels.AsSpan(0, LabelRows(rows)), _gradOutput);
        Model.Backward(_gradOutput);
        return loss;
    }

    /// <summary>Mean loss and accuracy of the model on <paramref name="data"/>, in batches, without training.</summary>
    public Evaluation Evaluate(Dataset data)
    {
        CheckData(data, "evaluation");
        double lossSum = 0;
        long correct = 0, scored = 0;
        int batch = _options.BatchSize;
        var indices = new int[Math.Min(batch, data.Count)];
        for (int start = 0; start < data.Count; start += batch)
        {
            int size = Math.Min(batch, data.Count - start);
            for (int i = 0; i < size; i++)
                indices[i] = start + i;
            LoadBatch(data, indices.AsSpan(0, size));
            var output = Model.Forward(_input, training: false);
            if (_regression is { } regression)
            {
                lossSum += size * double.CreateTruncating(RegressionLoss.ComputeTargets(output, _targets.Span, _gradOutput));
                correct += WithinTolerance(output, regression.Tolerance);
                continue;
            }

            lossSum += size * double.CreateTruncating(Loss.Compute(output, _labels.AsSpan(0, LabelRows(size)), _gradOutput));
            if (_stepLabels is { } steps)
            {
                correct += StepScoring.Correct(output, _labels, steps);
                scored += (long)size * steps.ScoredSteps;
                continue;
            }

            scored += size;
            for (int r = 0; r < size; r++)
            {
                if (SoftmaxCrossEntropy<T>.ArgMax(output.Row(r)) == _labels[r])
                    correct++;
            }
        }

        return new Evaluation(lossSum / data.Count, (double)correct / (data.Regression is null ? scored : data.Count));
    }

    private bool StepBudgetSpent => _options.MaxSteps is { } max && _step >= max;

    // A regression data set is trained with mean squared error against its targets.
    private MeanSquaredError<T> RegressionLoss => Loss as MeanSquaredError<T>
        ?? throw new GradscopeException($"Regression targets need the mse loss; the run uses {Loss.Name}.");

    private TrainingResult Finish(List<EpochResult> epochs, int epoch, int steps, Dataset train, Dataset? test, TrainingStatus status, string? message)
    {
        if (steps > 0 && status != TrainingStatus.Diverged)
            EndEpoch(epochs, epoch, steps, train, test);
        return new TrainingResult(epochs, _step, status, message);
    }

    private void EndEpoch(List<EpochResult> epochs, int epoch, int steps, Dataset train, Dataset? test)
    {
        var trainEval = _options.EvaluateTrainSet ? Evaluate(train) : new Evaluation(double.NaN, double.NaN);
        var testEval = test is null ? new Evaluation(double.NaN, double.NaN) : Evaluate(test);
        var result = new EpochResult(epoch, steps, trainEval.Loss, trainEval.Accuracy, testEval.Loss, testEval.Accuracy, Optimizer.LearningRate);
        epochs.Add(result);
        foreach (var observer in _observers)
            observer.OnEpochEnd(result);
    }

    private string DivergedMessage(double loss, int epoch) =>
        $"Training stopped: the loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at step {_step} (epoch {epoch + 1}). " +
        "Lower the learning rate, clip gradients (--clip-norm 1), or use a smaller initialization gain.";

    private string InterruptedMessage(int epoch) =>
        $"Training was interrupted after {_step} steps (in epoch {epoch + 1}).";
}
