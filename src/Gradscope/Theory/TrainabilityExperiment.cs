using Gradscope.Data;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Theory;

/// <summary>
/// Runs <see cref="TrainabilityOptions"/>: for every (depth, sigma_w^2) a random network with
/// weights N(0, sigma_w^2 / n_in) and biases N(0, sigma_b^2) is trained by the ordinary
/// <see cref="Trainer{T}"/> (plain <see cref="Sgd{T}"/> on <see cref="SoftmaxCrossEntropy{T}"/>) for a
/// fixed number of steps, on a task a random linear teacher labels (x ~ N(0, I), class = argmax V x),
/// and evaluated on held-out data.
/// </summary>
public static class TrainabilityExperiment
{
    /// <summary>Trains the grid; <paramref name="cellDone"/> is called (from worker threads) as each cell finishes.</summary>
    /// <exception cref="GradscopeException">An option is out of range; the message names it.</exception>
    public static TrainabilityResult Run(TrainabilityOptions options, Action<TrainabilityCell>? cellDone = null)
    {
        Validate(options);
        var (train, test) = TeacherTask.Create(options);
        var predicted = new double?[options.WeightVariances.Count];
        var chi1 = new double[predicted.Length];
        for (int w = 0; w < predicted.Length; w++)
        {
            var theory = MeanField.Analyze(options.Activation, options.WeightVariances[w], options.BiasVariance, depth: 1);
            chi1[w] = theory.Chi1;
            predicted[w] = 6 * theory.XiC;
        }

        int depths = options.Depths.Count;
        var cells = new TrainabilityCell[depths * predicted.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism) };
        Parallel.For(0, cells.Length, parallel, i =>
        {
            int d = i / predicted.Length, w = i % predicted.Length;
            int depth = options.Depths[d];
            int seed = unchecked(options.Seed + (7919 * (i + 1)));
            var (trainAccuracy, testAccuracy, loss, diverged) = TrainCell(options, train, test, depth, options.WeightVariances[w], seed);
            bool trainable = predicted[w] is not { } limit || depth < limit;
            cells[i] = new TrainabilityCell(depth, options.WeightVariances[w], trainAccuracy, testAccuracy, loss, diverged, trainable);
            cellDone?.Invoke(cells[i]);
        });

        double chance = 1.0 / options.Classes;
        double threshold = chance + (0.5 * (1 - chance));
        var boundaries = new TrainabilityBoundary[predicted.Length];
        for (int w = 0; w < predicted.Length; w++)
        {
            double? xi = predicted[w] / 6;
            boundaries[w] = new TrainabilityBoundary(options.WeightVariances[w], chi1[w], xi, predicted[w], MeasuredLimit(cells, options, w, threshold));
        }

        return new TrainabilityResult(options, cells, boundaries, chance, threshold);
    }

    private static int MeasuredLimit(TrainabilityCell[] cells, TrainabilityOptions options, int w, double threshold)
    {
        var trained = new SortedDictionary<int, bool>();
        for (int d = 0; d < options.Depths.Count; d++)
        {
            var cell = cells[(d * options.WeightVariances.Count) + w];
            trained[cell.Depth] = cell.TestAccuracy >= threshold;
        }

        int limit = 0;
        foreach (var (depth, ok) in trained)
        {
            if (!ok)
                break;
            limit = depth;
        }

        return limit;
    }

    // One cell is an ordinary run: the network described by NetworkSpec with mean-field weights,
    // trained by the Trainer with softmax cross-entropy and plain SGD on the teacher's data.
    private static (double Train, double Test, double Loss, bool Diverged) TrainCell(
        TrainabilityOptions options, Dataset train, Dataset test, int depth, double weightVariance, int seed)
    {
        var network = BuildNetwork(options, depth, weightVariance, new SeededRandom(seed));
        long rowsNeeded = (long)options.Steps * options.BatchSize;
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(options.LearningRate), new TrainerOptions
        {
            Epochs = (int)Math.Min(int.MaxValue, (rowsNeeded / train.Count) + 1),
            BatchSize = options.BatchSize,
            MaxSteps = options.Steps,
            Seed = seed,

            // Cells already run in parallel; the epochs' own evaluation is not needed.
            SplitBatch = false,
            EvaluateTrainSet = false,
        });
        var recent = new RecentLoss(20);
        trainer.AddObserver(recent);
        var result = trainer.Train(train);
        bool diverged = result.Status == TrainingStatus.Diverged;
        return (trainer.Evaluate(train).Accuracy, trainer.Evaluate(test).Accuracy, diverged ? double.NaN : recent.Mean, diverged);
    }

    // Weights N(0, sigma_w^2 / n_in) and biases N(0, sigma_b^2), the random networks of mean-field theory.
    private static Sequential<double> BuildNetwork(TrainabilityOptions options, int depth, double weightVariance, SeededRandom random)
    {
        var hidden = new int[depth];
        Array.Fill(hidden, options.Width);
        var network = new NetworkSpec(options.InputDimension, hidden, options.Classes, options.Activation).BuildUninitialized<double>();
        foreach (var dense in LayerTree.OfType<Dense<double>, double>(network))
        {
            RandomWeights.FillGaussian(dense.Weight.Value, weightVariance, random);
            RandomWeights.FillBias(dense.Bias.Value, options.BiasVariance, random);
        }

        return network;
    }

    private static void Validate(TrainabilityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Require(options.Depths.Count > 0 && options.WeightVariances.Count > 0, "The trainability grid needs at least one depth and one weight variance.");
        foreach (int depth in options.Depths)
            Require(depth >= 1, $"Every depth must be at least 1; got {depth}.");
        foreach (double w in options.WeightVariances)
            Require(w > 0 && double.IsFinite(w), $"Every weight variance must be positive and finite; got {w}.");
        Require(options.Width >= 1 && options.InputDimension >= 1, $"Width and input dimension must be at least 1; got {options.Width} and {options.InputDimension}.");
        Require(options.Classes >= 2, $"The teacher needs at least 2 classes; got {options.Classes}.");
        Require(options.TrainSamples >= 1 && options.TestSamples >= 1, $"Train and test sets need at least 1 sample; got {options.TrainSamples} and {options.TestSamples}.");
        Require(options.Steps >= 20 && options.BatchSize >= 1, $"Training needs at least 20 steps and a batch of at least 1; got {options.Steps} steps, batch {options.BatchSize}.");
        Require(options.LearningRate > 0 && double.IsFinite(options.LearningRate), $"The learning rate must be positive and finite; got {options.LearningRate}.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new GradscopeException(message);
    }
}
