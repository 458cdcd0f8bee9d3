using System.Numerics;

namespace Gradscope.Data.Sequences;

/// <summary>
/// The temporal-order problem of Hochreiter and Schmidhuber (1997, task 6a), scaled to length T.
/// A sequence starts with E, ends with the trigger B, and is otherwise random symbols from
/// {a, b, c, d}, except at t1 in [T/10, 2T/10] and t2 in [T/2, T/2 + T/10], which hold X or Y.
/// The class is the order: XX, XY, YX, YY (Q, R, S, U in the paper). The length is random in
/// [T, T + T/10], drawn once per batch. At T = 100 these are the paper's ranges (length 100 to 110,
/// t1 in 10..20, t2 in 50..60). Inputs are one-hot over a, b, c, d, B, E, X, Y.
/// </summary>
public sealed class TemporalOrder : ISequenceTask
{
    private const int SymbolB = 4, SymbolE = 5, SymbolX = 6, SymbolY = 7;

    /// <summary>Creates the task for minimum length <paramref name="length"/> (T &gt;= 10).</summary>
    /// <exception cref="GradscopeException">T is below 10.</exception>
    public TemporalOrder(int length)
    {
        if (length < 10)
            throw new GradscopeException($"The temporal-order task needs a length T of at least 10; got {length}.");
        Length = length;
    }

    /// <inheritdoc/>
    public string Name => "temporal-order";

    /// <inheritdoc/>
    public int InputSize => 8;

    /// <inheritdoc/>
    public int OutputSize => 4;

    /// <inheritdoc/>
    public SequenceOutput Output => SequenceOutput.ManyToOne;

    /// <inheritdoc/>
    public SequenceTarget Target => SequenceTarget.Classification;

    /// <inheritdoc/>
    public int Length { get; }

    /// <summary>
    /// When true every sequence has exactly <see cref="Length"/> steps instead of a length drawn from
    /// [T, T + T/10] per batch: what a network of fixed input width (<c>gradscope train</c>) reads.
    /// </summary>
    public bool FixedLength { get; init; }

    /// <inheritdoc/>
    public int MaxLength => FixedLength ? Length : Length + (Length / 10);

    /// <inheritdoc/>
    public double Tolerance => 0;

    /// <inheritdoc/>
    public double ChanceAccuracy => 0.25;

    /// <inheritdoc/>
    public void Fill<T>(SequenceBatch<T> batch, int batchSize, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int length = rng.NextInt(Length, MaxLength + 1);
        batch.Inputs.Resize(batchSize, length);
        batch.Inputs.Clear();
        batch.Targets.Resize(0);
        batch.ScoredFromStep = 0;
        Span<int> labels = batch.ResizeLabels(batchSize);
        int tenth = Length / 10;
        for (int b = 0; b < batchSize; b++)
        {
            for (int t = 1; t < length - 1; t++)
                batch.Inputs[t][b, rng.NextInt(4)] = T.One;
            batch.Inputs[0][b, SymbolE] = T.One;
            batch.Inputs[length - 1][b, SymbolB] = T.One;

            int t1 = rng.NextInt(tenth, (2 * tenth) + 1), t2 = rng.NextInt(Length / 2, (Length / 2) + tenth + 1);
            bool firstY = rng.NextInt(2) == 1, secondY = rng.NextInt(2) == 1;
            Place(batch.Inputs, b, t1, firstY ? SymbolY : SymbolX);
            Place(batch.Inputs, b, t2, secondY ? SymbolY : SymbolX);
            labels[b] = (firstY ? 2 : 0) + (secondY ? 1 : 0);
        }
    }

    private static void Place<T>(Sequence<T> inputs, int b, int t, int symbol)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        inputs[t].Row(b)[..4].Clear();
        inputs[t][b, symbol] = T.One;
    }
}
