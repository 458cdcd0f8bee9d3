using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Tensors;

namespace Gradscope.Training;

/// <summary>
/// A training step's forward and backward passes run as two halves of the batch, one per core, for
/// networks of small dense layers. Their products are too small to share one at a time: the cores
/// would meet twice per product, sixty times in a 20-layer step, and a stalled virtual CPU would
/// hold up every meeting. Halves meet once per step, to add their weight gradients. Each half runs
/// through slices of the layers (the same weights, views of the layers' buffers, gradients of its
/// own), so afterwards the layers' taps hold the whole batch, as observers expect.
/// <para>
/// Activations, deltas and input gradients are computed row by row and come out exactly as in one
/// pass; a weight gradient is the sum of the halves' (the batch summed in two parts), which differs
/// from one pass in the last bits. Whether the halves run at once or one after the other (the
/// workers busy with another caller) changes nothing: the same halves, added in the same order.
/// </para>
/// </summary>
internal sealed class BatchSplit<T> : IParallelJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The smallest batch split: halves of 16 rows still fill most of a micro-kernel's tiles.</summary>
    public const int MinRows = 32;

    private const int Halves = 2;

    private readonly Sequential<T> _full;
    private readonly IRowwiseLoss<T> _loss;
    private readonly Sequential<T>[] _halves = new Sequential<T>[Halves];
    private readonly Matrix<T>[] _inputs = new Matrix<T>[Halves];
    private readonly Matrix<T>[] _gradOutputs = new Matrix<T>[Halves];
    private readonly double[] _lossSums = new double[Halves];
    private readonly int[] _denseAt; // index in the layer list of each dense layer
    private readonly double[] _weightSquares; // per dense layer: the added gradient's sum of squares
    private readonly SpinBarrier _barrier = new();
    private int[] _labels = [];
    private int _rows;
    private bool _useSimd;
    private GemmPath? _path;

    private BatchSplit(Sequential<T> full, IRowwiseLoss<T> loss)
    {
        _full = full;
        _loss = loss;
        var dense = new List<int>();
        for (int i = 0; i < full.Layers.Count; i++)
        {
            if (full.Layers[i] is Dense<T>)
                dense.Add(i);
        }

        _denseAt = [.. dense];
        _weightSquares = new double[_denseAt.Length];
        for (int s = 0; s < Halves; s++)
        {
            var slices = new ILayer<T>[full.Layers.Count];
            for (int i = 0; i < slices.Length; i++)
                slices[i] = full.Layers[i] is Dense<T> d ? d.CreateSlice() : ((ActivationLayer<T>)full.Layers[i]).CreateSlice();
            _halves[s] = new Sequential<T>(slices);
            _inputs[s] = Matrix<T>.View(full.InputSize);
            _gradOutputs[s] = Matrix<T>.View(full.OutputSize);
        }
    }

    /// <summary>
    /// A split for <paramref name="model"/> trained on batches of <paramref name="batchSize"/>, or
    /// null where it would not pay or not be exact: one core, small batches, a layer other than
    /// dense and activation (batch norm and dropout need the whole batch), a loss that is not a sum
    /// over rows, or mostly products large enough to be shared by the cores one at a time already.
    /// </summary>
    public static BatchSplit<T>? TryCreate(Sequential<T> model, ILoss<T> loss, int batchSize) =>
        GemmWorkers.HasWorkers && batchSize >= MinRows && loss is IRowwiseLoss<T> rowwise && IsSplittable(model) && MostlySmallProducts(model, batchSize)
            ? new BatchSplit<T>(model, rowwise)
            : null;

    /// <summary>A split for <paramref name="model"/> whether or not it pays (tests run both ways on any machine).</summary>
    internal static BatchSplit<T> Create(Sequential<T> model, ILoss<T> loss) =>
        loss is IRowwiseLoss<T> rowwise && IsSplittable(model)
            ? new BatchSplit<T>(model, rowwise)
            : throw new ArgumentException("Only networks of dense and activation layers, with a built-in loss, can split a batch.");

    // Dense and activation layers compute every row from the same row alone.
    private static bool IsSplittable(Sequential<T> model)
    {
        foreach (var layer in model.Layers)
        {
            if (layer is not Dense<T> and not ActivationLayer<T>)
                return false;
        }

        return true;
    }

    // Products of at least ParallelThreshold multiply-adds are shared by the cores one at a time,
    // at full width; splitting the batch pays when most of the work is in smaller ones.
    private static bool MostlySmallProducts(Sequential<T> model, int batchSize)
    {
        var shapes = new List<(int In, int Out)>();
        foreach (var layer in model.Layers)
        {
            if (layer is Dense<T> dense)
                shapes.Add((dense.InputSize, dense.OutputSize));
        }

        return MostlySmallProducts(shapes, batchSize);
    }

    /// <summary>The same rule for dense layers of these shapes (the memory estimate predicts the split with it).</summary>
    internal static bool MostlySmallProducts(IReadOnlyList<(int In, int Out)> denseShapes, int batchSize)
    {
        long total = 0, serial = 0;
        foreach (var (input, output) in denseShapes)
        {
            long macs = (long)batchSize * input * output;
            total += macs;
            if (macs < GemmKernel.ParallelThreshold)
                serial += macs;
        }

        return serial * 2 >= total;
    }

    /// <summary>
    /// Forward pass, loss and backward pass of the model on <paramref name="input"/> (at least
    /// <see cref="MinRows"/> rows, labels in the first as many elements of <paramref name="labels"/>):
    /// leaves the gradients, the loss gradient in <paramref name="gradOutput"/> and the layers' taps
    /// as one pass would, and returns the mean loss.
    /// </summary>
    public T Run(Matrix<T> input, int[] labels, Matrix<T> gradOutput)
    {
        int rows = input.Rows;
        if (rows < 2)
            throw new ArgumentException($"A batch of {rows} rows has no two halves.", nameof(input));
        LossArguments.CheckLabels(labels.AsSpan(0, rows), _full.OutputSize); // here, not in a worker: the user's message
        gradOutput.Resize(rows);
        Prepare(input, labels, gradOutput);
        if (!GemmWorkers.TryRun(this))
        {
            for (int s = 0; s < Halves; s++)
                RunHalf(s);
            for (int l = 0; l < _denseAt.Length; l++)
                AddGradients(l);
        }

        Adopt(input, gradOutput);
        return _loss.Mean(_lossSums[0] + _lossSums[1], rows, _full.OutputSize);
    }

    /// <inheritdoc/>
    public void RunPart(int part, int parts)
    {
        // A worker computes with the caller's per-thread settings (tests switch them) and leaves its own as they were.
        bool useSimd = Elementwise.UseSimd;
        var path = GemmKernel.PathOverride;
        try
        {
            (Elementwise.UseSimd, GemmKernel.PathOverride) = (_useSimd, _path);
            if (part < Halves)
                RunHalfOrAbort(part);
            _barrier.Wait(parts, "The other half of this batch failed.");
            for (int l = part; l < _denseAt.Length; l += parts)
                AddGradients(l);
        }
        finally
        {
            (Elementwise.UseSimd, GemmKernel.PathOverride) = (useSimd, path);
        }
    }

    private void RunHalfOrAbort(int half)
    {
        try
        {
            RunHalf(half);
        }
        catch
        {
            _barrier.Abort(); // the other part leaves the barrier instead of waiting forever
            throw;
        }
    }

    private void RunHalf(int half)
    {
        var output = _halves[half].Forward(_inputs[half], training: true);
        int row0 = HalfRows(half).Row0;
        _lossSums[half] = _loss.SumRows(output, _labels.AsSpan(row0, output.Rows), _gradOutputs[half], _rows);
        _halves[half].Backward(_gradOutputs[half]);
    }

    // The first half takes the odd row: 129 rows run as 65 and 64.
    private static int FirstHalfRows(int rows) => (rows + 1) / 2;

    // Sizes the layers' buffers for the batch and points each half's views at its rows.
    private void Prepare(Matrix<T> input, int[] labels, Matrix<T> gradOutput)
    {
        (_labels, _rows) = (labels, input.Rows);
        (_useSimd, _path) = (Elementwise.UseSimd, GemmKernel.PathOverride);
        _barrier.Reset();
        for (int s = 0; s < Halves; s++)
        {
            var (row0, rows) = HalfRows(s);
            _inputs[s].ViewRows(input, row0, rows);
            _gradOutputs[s].ViewRows(gradOutput, row0, rows);
            _halves[s].ZeroGrad();
        }

        for (int i = 0; i < _full.Layers.Count; i++)
        {
            if (_full.Layers[i] is Dense<T> dense)
                PointSlices(dense, i);
            else
                PointSlices((ActivationLayer<T>)_full.Layers[i], i);
        }
    }

    // Rows [row0, row0 + rows) of the batch that half `half` runs.
    private (int Row0, int Rows) HalfRows(int half)
    {
        int first = FirstHalfRows(_rows);
        return half == 0 ? (0, first) : (first, _rows - first);
    }

    private void PointSlices(Dense<T> dense, int i)
    {
        dense.Output.Resize(_rows);
        if (dense.ComputesInputGradient)
            dense.GradInput.Resize(_rows);
        for (int s = 0; s < Halves; s++)
        {
            var (row0, rows) = HalfRows(s);
            var slice = (Dense<T>)_halves[s].Layers[i];
            slice.Output.ViewRows(dense.Output, row0, rows);
            slice.ComputesInputGradient = dense.ComputesInputGradient;
            if (dense.ComputesInputGradient)
                slice.GradInput.ViewRows(dense.GradInput, row0, rows);
        }
    }

    private void PointSlices(ActivationLayer<T> activation, int i)
    {
        activation.Output.Resize(_rows);
        activation.GradInput.Resize(_rows);
        for (int s = 0; s < Halves; s++)
        {
            var (row0, rows) = HalfRows(s);
            var slice = (ActivationLayer<T>)_halves[s].Layers[i];
            slice.Output.ViewRows(activation.Output, row0, rows);
            slice.GradInput.ViewRows(activation.GradInput, row0, rows);
            slice.CollectsSaturation = activation.CollectsSaturation;
        }
    }

    // The layer's gradients are the first half's plus the second's, written over them (or, when the
    // caller left gradients to accumulate, added to them in that order).
    private void AddGradients(int l)
    {
        int i = _denseAt[l];
        var full = (Dense<T>)_full.Layers[i];
        var first = (Dense<T>)_halves[0].Layers[i];
        var second = (Dense<T>)_halves[1].Layers[i];
        var weight = full.Weight.GradForWrite(out bool accumulate).Span;
        if (accumulate)
            TensorPrimitives.Add(weight, first.Weight.Grad.Span, weight);
        _weightSquares[l] = Reductions.AddWithSquares<T>(accumulate ? weight : first.Weight.Grad.Span, second.Weight.Grad.Span, weight);
        var bias = full.Bias.GradForWrite(out bool accumulateBias).Span;
        if (accumulateBias)
            TensorPrimitives.Add(bias, first.Bias.Grad.Span, bias);
        TensorPrimitives.Add(accumulateBias ? bias : first.Bias.Grad.Span, second.Bias.Grad.Span, bias);
    }

    // Leaves every full layer's taps as its own forward and backward pass would have.
    private void Adopt(Matrix<T> input, Matrix<T> gradOutput)
    {
        var layers = _full.Layers;
        var x = input;
        int l = 0;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] is Dense<T> dense)
            {
                var delta = i + 1 < layers.Count ? GradInputOf(layers[i + 1]) : gradOutput;
                dense.AdoptSlices(x, delta, _weightSquares[l++]);
                x = dense.Output;
            }
            else
            {
                var activation = (ActivationLayer<T>)layers[i];
                activation.AdoptSlices(x, (ActivationLayer<T>)_halves[0].Layers[i], (ActivationLayer<T>)_halves[1].Layers[i]);
                x = activation.Output;
            }
        }
    }

    private static Matrix<T> GradInputOf(ILayer<T> layer) =>
        layer is Dense<T> dense ? dense.GradInput : ((ActivationLayer<T>)layer).GradInput;
}
