using System.Numerics;
using Gradscope.Data.Sequences;
using Gradscope.Losses;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>
/// The loss and accuracy of a sequence task: mean squared error against real targets (correct when
/// every output is within the task's tolerance) or softmax cross-entropy against labels (correct on
/// the argmax), over every output row; accuracy counts rows from the batch's scored step on.
/// </summary>
internal sealed class SequenceObjective<T>(ISequenceTask task)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SoftmaxCrossEntropy<T> _crossEntropy = new();

    /// <summary>Returns the mean loss, writes dLoss/dOutput into <paramref name="gradOutput"/>, and counts correct and scored rows.</summary>
    public double Compute(Matrix<T> output, SequenceBatch<T> batch, Matrix<T> gradOutput, out int correct, out int scored)
    {
        int firstScored = batch.ScoredFromStep * batch.Inputs.Batch;
        scored = output.Rows - firstScored;
        if (task.Target == SequenceTarget.Classification)
        {
            double loss = double.CreateTruncating(_crossEntropy.Compute(output, batch.Labels, gradOutput));
            correct = CountArgmaxCorrect(output, batch.Labels, firstScored);
            return loss;
        }

        return MeanSquaredError(output, batch.Targets, gradOutput, firstScored, out correct);
    }

    // mean((y - t)^2) over all elements; d/dy = 2 (y - t) / count.
    private double MeanSquaredError(Matrix<T> output, Matrix<T> targets, Matrix<T> gradOutput, int firstScored, out int correct)
    {
        gradOutput.Resize(output.Rows);
        double invCount = 1.0 / output.Length, sum = 0;
        correct = 0;
        for (int r = 0; r < output.Rows; r++)
        {
            bool within = true;
            for (int c = 0; c < output.Cols; c++)
            {
                double diff = double.CreateTruncating(output[r, c]) - double.CreateTruncating(targets[r, c]);
                sum += diff * diff;
                gradOutput[r, c] = T.CreateTruncating(2 * diff * invCount);
                within &= Math.Abs(diff) < task.Tolerance;
            }

            if (within && r >= firstScored)
                correct++;
        }

        return sum * invCount;
    }

    private static int CountArgmaxCorrect(Matrix<T> output, ReadOnlySpan<int> labels, int firstScored)
    {
        int correct = 0;
        for (int r = firstScored; r < output.Rows; r++)
        {
            ReadOnlySpan<T> row = output.Row(r);
            int best = 0;
            for (int c = 1; c < row.Length; c++)
            {
                if (row[c] > row[best])
                    best = c;
            }

            correct += best == labels[r] ? 1 : 0;
        }

        return correct;
    }
}
