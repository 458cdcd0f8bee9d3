using System.Numerics;

namespace Gradscope.Data.Sequences;

/// <summary>
/// A synthetic sequence task that tests memory over a chosen time lag: it generates batches on
/// demand from a <see cref="SeededRandom"/>, so a seed fixes every batch.
/// </summary>
public interface ISequenceTask
{
    /// <summary>The task's name (<c>adding</c>, <c>copy</c>, <c>temporal-order</c>).</summary>
    string Name { get; }

    /// <summary>Features per input step.</summary>
    int InputSize { get; }

    /// <summary>Outputs per row: 1 for regression, the class count for classification.</summary>
    int OutputSize { get; }

    /// <summary>Whether the model reads the last step or every step.</summary>
    SequenceOutput Output { get; }

    /// <summary>Regression or classification.</summary>
    SequenceTarget Target { get; }

    /// <summary>The time lag T the task is set to (its minimum sequence length or delay).</summary>
    int Length { get; }

    /// <summary>The longest sequence a batch can have.</summary>
    int MaxLength { get; }

    /// <summary>Regression: an output is correct when every |output - target| is below this. Classification: unused.</summary>
    double Tolerance { get; }

    /// <summary>The accuracy of the best guess that ignores the inputs.</summary>
    double ChanceAccuracy { get; }

    /// <summary>Fills <paramref name="batch"/> with <paramref name="batchSize"/> fresh sequences and their targets.</summary>
    void Fill<T>(SequenceBatch<T> batch, int batchSize, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
