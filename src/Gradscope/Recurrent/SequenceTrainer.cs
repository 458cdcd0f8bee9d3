using System.Numerics;
using Gradscope.Data.Sequences;
using Gradscope.Optimizers;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>Settings of a <see cref="SequenceTrainer{T}"/>.</summary>
public sealed record SequenceTrainerOptions
{
    /// <summary>Training steps (one fresh batch each); default 500.</summary>
    public int Steps { get; init; } = 500;

    /// <summary>Sequences per batch; default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Optimizer name for <see cref="Optimizer.Create{T}"/>; default adam.</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>Step size; default 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Clip gradients to this global norm before each step; null for no clipping. Default 1.</summary>
    public double? ClipNorm { get; init; } = 1.0;

    /// <summary>Seed of the training batches; evaluation batches come from a separate stream.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Batches of fresh sequences for <see cref="SequenceTrainer{T}.Evaluate"/> after training; default 8.</summary>
    public int EvaluationBatches { get; init; } = 8;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (Steps < 1)
            throw new GradscopeException($"Training needs at least 1 step; got {Steps}.");
        if (BatchSize < 1)
            throw new GradscopeException($"The batch size must be at least 1; got {BatchSize}.");
        if (EvaluationBatches < 1)
            throw new GradscopeException($"Evaluation needs at least 1 batch; got {EvaluationBatches}.");
    }
}

/// <summary>Loss and accuracy over fresh sequences.</summary>
public readonly record struct SequenceEvaluation(double Loss, double Accuracy, int Sequences);

/// <summary>The outcome of <see cref="SequenceTrainer{T}.Train"/>.</summary>
/// <param name="Steps">Steps taken (fewer than asked when the loss became non-finite).</param>
/// <param name="FinalLoss">Mean training loss over the last tenth of the steps.</param>
/// <param name="Evaluation">Loss and accuracy on fresh sequences after training.</param>
/// <param name="Diverged">True when the loss became NaN or infinite.</param>
public sealed record SequenceTrainingResult(int Steps, double FinalLoss, SequenceEvaluation Evaluation, bool Diverged);

/// <summary>
/// Trains a <see cref="SequenceModel{T}"/> on a sequence task: per step a fresh seeded batch,
/// forward, loss, backward through time, optional clipping by global norm, optimizer step. Every
/// step's ||dL/dh_t|| goes into <see cref="TimeTrace"/>. A steady-state step allocates nothing.
/// </summary>
public sealed class SequenceTrainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SequenceModel<T> _model;
    private readonly ISequenceTask _task;
    private readonly SequenceTrainerOptions _options;
    private readonly SequenceObjective<T> _objective;
    private readonly SequenceBatch<T> _batch;
    private readonly Matrix<T> _gradOutput;
    private readonly IOptimizer<T> _optimizer;

    /// <summary>Prepares training; the model must already be initialized.</summary>
    /// <exception cref="GradscopeException">The model does not fit the task, or an option is out of range.</exception>
    public SequenceTrainer(SequenceModel<T> model, ISequenceTask task, SequenceTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(task);
        _options = options ?? new SequenceTrainerOptions();
        _options.Validate();
        if (model.Recurrent.InputSize != task.InputSize || model.Head.OutputSize != task.OutputSize || model.Output != task.Output)
        {
            throw new GradscopeException(
                $"The model ({model.Recurrent.InputSize} inputs, {model.Head.OutputSize} outputs, {model.Output}) does not fit the " +
                $"{task.Name} task ({task.InputSize} inputs, {task.OutputSize} outputs, {task.Output}).");
        }

        _model = model;
        _task = task;
        _objective = new SequenceObjective<T>(task);
        _batch = new SequenceBatch<T>(task.InputSize, task.OutputSize);
        _gradOutput = new Matrix<T>(0, task.OutputSize);
        _optimizer = Optimizer.Create<T>(_options.Optimizer, new OptimizerOptions { LearningRate = _options.LearningRate });
        TimeTrace = new TimeTrace(task.MaxLength, _options.Steps);
        Losses = new double[_options.Steps];
    }

    /// <summary>||dL/dh_t|| per time step and training step.</summary>
    public TimeTrace TimeTrace { get; }

    /// <summary>The training loss of every step taken.</summary>
    public double[] Losses { get; }

    /// <summary>Runs <see cref="SequenceTrainerOptions.Steps"/> steps and evaluates on fresh sequences.</summary>
    /// <param name="progress">Receives the step count after each step, when not null.</param>
    public SequenceTrainingResult Train(IProgress<int>? progress = null)
    {
        var rng = new SeededRandom(_options.Seed);
        int steps = 0;
        bool diverged = false;
        for (; steps < _options.Steps; steps++)
        {
            double loss = Step(rng);
            Losses[steps] = loss;
            if (!double.IsFinite(loss))
            {
                diverged = true;
                steps++;
                break;
            }

            progress?.Report(steps + 1);
        }

        int tail = Math.Max(1, steps / 10);
        double final = 0;
        for (int s = steps - tail; s < steps; s++)
            final += Losses[s] / tail;
        return new SequenceTrainingResult(steps, final, Evaluate(_options.EvaluationBatches), diverged);
    }

    private double Step(SeededRandom rng)
    {
        _task.Fill(_batch, _options.BatchSize, rng);
        var output = _model.Forward(_batch.Inputs, training: true);
        double loss = _objective.Compute(output, _batch, _gradOutput, out _, out _);
        _model.ZeroGradients();
        _model.Backward(_gradOutput);
        TimeTrace.Record(_model.Recurrent.HiddenGradNorms);
        if (_options.ClipNorm is { } clip)
            GradientClipping.ClipByGlobalNorm(_model.Parameters, clip);
        _optimizer.Step(_model.Parameters);
        return loss;
    }

    /// <summary>Mean loss and accuracy over <paramref name="batches"/> batches of fresh sequences (a seed stream apart from training's).</summary>
    public SequenceEvaluation Evaluate(int batches)
    {
        var rng = new SeededRandom(unchecked((_options.Seed * 7919) + 104729));
        double loss = 0;
        long correct = 0, scored = 0;
        for (int b = 0; b < batches; b++)
        {
            _task.Fill(_batch, _options.BatchSize, rng);
            var output = _model.Forward(_batch.Inputs, training: false);
            loss += _objective.Compute(output, _batch, _gradOutput, out int c, out int s) / batches;
            correct += c;
            scored += s;
        }

        return new SequenceEvaluation(loss, scored == 0 ? double.NaN : (double)correct / scored, batches * _options.BatchSize);
    }
}
