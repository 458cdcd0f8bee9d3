using System.Numerics;
using Gradscope.Data;
using Gradscope.Tensors;

namespace Gradscope.Training;

// Loading a mini-batch into the trainer's buffers (features, labels per sequence or per step,
// regression targets), and checking before the first step that a data set fits the network.
public sealed partial class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private void LoadBatch(Dataset data, ReadOnlySpan<int> batch)
    {
        _stepLabels = data.StepLabels;
        int labelRows = LabelRows(batch.Length);
        if (labelRows > _labels.Length)
        {
            _input = new Matrix<T>(batch.Length, Model.InputSize);
            _gradOutput = new Matrix<T>(labelRows, Model.OutputSize);
            _labels = new int[labelRows];
        }

        _input.Resize(batch.Length);
        _gradOutput.Resize(labelRows);
        data.CopyRows(batch, _input.Span);
        if (_stepLabels is { } steps)
            steps.Copy(batch, _labels);
        else
            data.CopyLabels(batch, _labels.AsSpan(0, batch.Length));
        _regression = data.Regression;
        if (_regression is { } regression)
            LoadTargets(regression, batch);
    }

    // Output rows (and labels) of a batch of sequences: one per sequence, or one per sequence and step.
    private int LabelRows(int sequences) => _stepLabels is { } steps ? sequences * steps.Steps : sequences;

    private void LoadTargets(RegressionTargets regression, ReadOnlySpan<int> batch)
    {
        _targets.Resize(batch.Length);
        int width = regression.Width;
        for (int i = 0; i < batch.Length; i++)
        {
            var from = regression.Values.AsSpan(batch[i] * width, width);
            var to = _targets.Row(i);
            for (int j = 0; j < width; j++)
                to[j] = T.CreateTruncating(from[j]);
        }
    }

    // Rows whose every output is within the tolerance of its target.
    private long WithinTolerance(Matrix<T> output, double tolerance)
    {
        long correct = 0;
        for (int r = 0; r < output.Rows; r++)
        {
            ReadOnlySpan<T> o = output.Row(r), t = _targets.Row(r);
            bool within = true;
            for (int j = 0; j < o.Length; j++)
                within &= Math.Abs(double.CreateTruncating(o[j]) - double.CreateTruncating(t[j])) < tolerance;
            correct += within ? 1 : 0;
        }

        return correct;
    }

    /// <summary>
    /// Throws what <see cref="Train"/> would throw for <paramref name="data"/> before its first step:
    /// features, classes, targets or per-step labels that do not fit the network.
    /// </summary>
    /// <param name="data">The data to check.</param>
    /// <param name="role">How messages name it: <c>training</c>, <c>test</c>.</param>
    /// <exception cref="GradscopeException">The data does not fit; the message says how.</exception>
    public void CheckFits(Dataset data, string role = "training") => CheckData(data, role);

    private void CheckData(Dataset data, string role)
    {
        if (data.FeatureCount != Model.InputSize)
            throw new GradscopeException($"The {role} data has {data.FeatureCount} features but the network expects {Model.InputSize}.");
        if (data.ClassCount > Model.OutputSize)
            throw new GradscopeException($"The {role} data has {data.ClassCount} classes but the network has only {Model.OutputSize} outputs.");
        if (data.Count == 0)
            throw new GradscopeException($"The {role} data has no rows.");
        if (data.Regression is { } regression)
        {
            if (regression.Width != Model.OutputSize)
                throw new GradscopeException($"The {role} data has {regression.Width} targets per row but the network has {Model.OutputSize} outputs.");
            _ = RegressionLoss;
        }

        StepScoring.CheckOutputs(Model, data, role);
    }
}
