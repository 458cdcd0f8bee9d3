using System.Numerics.Tensors;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Theory;

/// <summary>
/// Runs <see cref="TrainabilityOptions"/>: for every (depth, sigma_w^2) a random network with
/// weights N(0, sigma_w^2 / n_in) and biases N(0, sigma_b^2) is trained by plain SGD on softmax
/// cross-entropy for a fixed number of steps, on a task a random linear teacher labels
/// (x ~ N(0, I), class = argmax V x), and evaluated on held-out data.
/// </summary>
/// <remarks>
/// The SGD step and the fused softmax cross-entropy are minimal private versions written here
/// until the Losses and Optimizers namespaces exist; swap them in when they do.
/// </remarks>
public static class TrainabilityExperiment
{
    /// <summary>Trains the grid; <paramref name="cellDone"/> is called (from worker threads) as each cell finishes.</summary>
    /// <exception cref="GradscopeException">An option is out of range; the message names it.</exception>
    public static TrainabilityResult Run(TrainabilityOptions options, Action<TrainabilityCell>? cellDone = null)
    {
        Validate(options);
        var data = TeacherTask.Create(options);
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
            var random = new SeededRandom(unchecked(options.Seed + (7919 * (i + 1))));
            var (train, test, loss, diverged) = TrainCell(options, data, depth, options.WeightVariances[w], random);
            bool trainable = predicted[w] is not { } limit || depth < limit;
            cells[i] = new TrainabilityCell(depth, options.WeightVariances[w], train, test, loss, diverged, trainable);
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

    private static (double Train, double Test, double Loss, bool Diverged) TrainCell(
        TrainabilityOptions options, TeacherTask data, int depth, double weightVariance, SeededRandom random)
    {
        var model = BuildNetwork(options, depth, weightVariance, random);
        int batch = options.BatchSize;
        var x = new Matrix<double>(batch, options.InputDimension);
        var labels = new int[batch];
        var grad = new Matrix<double>(batch, options.Classes);
        var order = new int[data.TrainLabels.Length];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        int cursor = order.Length;
        double recentLoss = 0;
        int recentCount = 0;
        for (int step = 0; step < options.Steps; step++)
        {
            for (int b = 0; b < batch; b++, cursor++)
            {
                if (cursor == order.Length)
                {
                    random.Shuffle<int>(order);
                    cursor = 0;
                }

                data.TrainInputs.Row(order[cursor]).CopyTo(x.Row(b));
                labels[b] = data.TrainLabels[order[cursor]];
            }

            double loss = SoftmaxCrossEntropy(model.Forward(x, training: true), labels, grad);
            if (!double.IsFinite(loss))
                return (Accuracy(model, data.TrainInputs, data.TrainLabels), Accuracy(model, data.TestInputs, data.TestLabels), double.NaN, true);
            model.Backward(grad);
            SgdStep(model, options.LearningRate);
            if (step >= options.Steps - 20)
            {
                recentLoss += loss;
                recentCount++;
            }
        }

        return (Accuracy(model, data.TrainInputs, data.TrainLabels), Accuracy(model, data.TestInputs, data.TestLabels), recentLoss / recentCount, false);
    }

    private static Sequential<double> BuildNetwork(TrainabilityOptions options, int depth, double weightVariance, SeededRandom random)
    {
        var layers = new List<ILayer<double>>((2 * depth) + 1);
        int inputs = options.InputDimension;
        for (int l = 0; l <= depth; l++)
        {
            int outputs = l == depth ? options.Classes : options.Width;
            var dense = new Dense<double>(inputs, outputs) { ComputesInputGradient = l > 0 };
            RandomWeights.FillGaussian(dense.Weight.Value, weightVariance, random);
            RandomWeights.FillBias(dense.Bias.Value, options.BiasVariance, random);
            layers.Add(dense);
            if (l < depth)
                layers.Add(options.Activation.CreateLayer<double>(outputs));
            inputs = outputs;
        }

        return new Sequential<double>(layers);
    }

    // Minimal fused softmax cross-entropy: mean loss over the batch, and dLoss/dlogits =
    // (softmax - onehot) / batch into grad. Max-subtraction keeps exp finite.
    private static double SoftmaxCrossEntropy(Matrix<double> logits, int[] labels, Matrix<double> grad)
    {
        double total = 0;
        for (int r = 0; r < logits.Rows; r++)
        {
            ReadOnlySpan<double> z = logits.Row(r);
            Span<double> g = grad.Row(r);
            double max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, g);
            TensorPrimitives.Exp(g, g);
            double sum = TensorPrimitives.Sum<double>(g);
            total += Math.Log(sum) - (z[labels[r]] - max);
            TensorPrimitives.Divide(g, sum * logits.Rows, g);
            g[labels[r]] -= 1.0 / logits.Rows;
        }

        return total / logits.Rows;
    }

    // Minimal plain SGD: value -= rate * grad, then clear the gradient.
    private static void SgdStep(Sequential<double> model, double rate)
    {
        foreach (var p in model.Parameters)
        {
            TensorPrimitives.MultiplyAdd(p.Grad.Span, -rate, p.Value.Span, p.Value.Span);
            p.Grad.Clear();
        }
    }

    private static double Accuracy(Sequential<double> model, Matrix<double> inputs, int[] labels)
    {
        var logits = model.Forward(inputs, training: false);
        int correct = 0;
        for (int r = 0; r < logits.Rows; r++)
        {
            if (TensorPrimitives.IndexOfMax<double>(logits.Row(r)) == labels[r])
                correct++;
        }

        return (double)correct / labels.Length;
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
