using System.Numerics;

namespace Gradscope.Data.Sequences;

/// <summary>
/// The copy (memory) task in the form of Arjovsky, Shah and Bengio (2016), after Hochreiter and
/// Schmidhuber (1997): <see cref="CopyLength"/> symbols drawn from an alphabet of
/// <see cref="Symbols"/>, then T - 1 blanks, a delimiter, and <see cref="CopyLength"/> more blanks
/// during which the network must output the symbols in order; every other step's target is blank.
/// Inputs are one-hot over blank (0), the symbols (1..K) and the delimiter (K + 1); outputs are
/// classes blank (0) and the symbols (1..K). Length T + 2 * CopyLength, the same for every batch.
/// Accuracy counts the recall steps only, where guessing gives 1/K.
/// </summary>
public sealed class CopyTask : ISequenceTask
{
    /// <summary>Creates the task with delay <paramref name="length"/> (T &gt;= 1).</summary>
    /// <exception cref="GradscopeException">An argument is out of range.</exception>
    public CopyTask(int length, int symbols = 8, int copyLength = 10)
    {
        if (length < 1)
            throw new GradscopeException($"The copy task needs a delay T of at least 1; got {length}.");
        if (symbols < 2)
            throw new GradscopeException($"The copy task needs at least 2 symbols; got {symbols}.");
        if (copyLength < 1)
            throw new GradscopeException($"The copy task needs at least 1 symbol to copy; got {copyLength}.");
        Length = length;
        Symbols = symbols;
        CopyLength = copyLength;
    }

    /// <summary>Alphabet size K.</summary>
    public int Symbols { get; }

    /// <summary>Symbols to remember.</summary>
    public int CopyLength { get; }

    /// <inheritdoc/>
    public string Name => "copy";

    /// <inheritdoc/>
    public int InputSize => Symbols + 2;

    /// <inheritdoc/>
    public int OutputSize => Symbols + 1;

    /// <inheritdoc/>
    public SequenceOutput Output => SequenceOutput.ManyToMany;

    /// <inheritdoc/>
    public SequenceTarget Target => SequenceTarget.Classification;

    /// <inheritdoc/>
    public int Length { get; }

    /// <inheritdoc/>
    public int MaxLength => Length + (2 * CopyLength);

    /// <inheritdoc/>
    public double Tolerance => 0;

    /// <inheritdoc/>
    public double ChanceAccuracy => 1.0 / Symbols;

    /// <inheritdoc/>
    public void Fill<T>(SequenceBatch<T> batch, int batchSize, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int length = MaxLength, recallFrom = Length + CopyLength;
        batch.Inputs.Resize(batchSize, length);
        batch.Inputs.Clear();
        batch.Targets.Resize(0);
        batch.ScoredFromStep = recallFrom;
        Span<int> labels = batch.ResizeLabels(length * batchSize);
        labels.Clear();
        for (int b = 0; b < batchSize; b++)
        {
            for (int t = 0; t < CopyLength; t++)
            {
                int symbol = 1 + rng.NextInt(Symbols);
                batch.Inputs[t][b, symbol] = T.One;
                labels[((recallFrom + t) * batchSize) + b] = symbol;
            }

            for (int t = CopyLength; t < length; t++)
                batch.Inputs[t][b, t == recallFrom - 1 ? Symbols + 1 : 0] = T.One;
        }
    }
}
