using System.Numerics;

namespace Gradscope.Data.Sequences;

/// <summary>
/// The adding problem exactly as Hochreiter and Schmidhuber (1997, section 5.4) specify it. Each
/// step is a pair (value, marker): the value is uniform in [-1, 1]; the marker is 1 for the two
/// pairs to add, -1 for the first and the last pair, 0 elsewhere. The length is a random integer in
/// [T, T + T/10]. One of the first 10 pairs is marked (X1), then one of the first T/2 - 1 pairs not
/// yet marked (X2); when the first pair is marked its value is set to 0. The target, read after
/// the last step, is 0.5 + (X1 + X2) / 4, and an output counts as correct when its absolute error is
/// below 0.04. Two details the paper leaves open: lengths are drawn once per batch (every sequence
/// of a batch has the same length, see <see cref="SequenceBatch{T}"/>), and for T = 10, where the
/// first 10 pairs can include the last one, X1 is drawn from the first min(10, length - 1) pairs so
/// the last pair keeps its -1 marker.
/// </summary>
public sealed class AddingProblem : ISequenceTask
{
    /// <summary>The paper's criterion: absolute error below 0.04.</summary>
    public const double Criterion = 0.04;

    /// <summary>Creates the task for minimum length <paramref name="length"/> (T, at least 6 so T/2 - 1 &gt;= 2).</summary>
    /// <exception cref="GradscopeException">T is below 6.</exception>
    public AddingProblem(int length)
    {
        if (length < 6)
            throw new GradscopeException($"The adding problem needs a length T of at least 6 (X2 is drawn from the first T/2 - 1 pairs); got {length}.");
        Length = length;
    }

    /// <inheritdoc/>
    public string Name => "adding";

    /// <inheritdoc/>
    public int InputSize => 2;

    /// <inheritdoc/>
    public int OutputSize => 1;

    /// <inheritdoc/>
    public SequenceOutput Output => SequenceOutput.ManyToOne;

    /// <inheritdoc/>
    public SequenceTarget Target => SequenceTarget.Regression;

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
    public double Tolerance => Criterion;

    /// <summary>
    /// About 0.154: the constant guess 0.5 is within 0.04 of the target when |X1 + X2| &lt; 0.16, and
    /// X1 + X2 has the triangular density (2 - |s|) / 4 on [-2, 2].
    /// </summary>
    public double ChanceAccuracy => 2 * ((2 * 0.16) - (0.16 * 0.16 / 2)) / 4;

    /// <inheritdoc/>
    public void Fill<T>(SequenceBatch<T> batch, int batchSize, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int length = rng.NextInt(Length, MaxLength + 1);
        batch.Inputs.Resize(batchSize, length);
        batch.Targets.Resize(batchSize);
        batch.ResizeLabels(0);
        batch.ScoredFromStep = 0;
        for (int b = 0; b < batchSize; b++)
            batch.Targets[b, 0] = T.CreateTruncating(FillOne(batch.Inputs, b, length, rng));
    }

    // Writes sequence b and returns its target.
    private double FillOne<T>(Sequence<T> inputs, int b, int length, SeededRandom rng)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int t = 0; t < length; t++)
        {
            inputs[t][b, 0] = T.CreateTruncating(rng.NextUniform(-1, 1));
            inputs[t][b, 1] = T.Zero;
        }

        inputs[0][b, 1] = -T.One;
        inputs[length - 1][b, 1] = -T.One;

        int first = rng.NextInt(Math.Min(10, length - 1));
        int second = DrawUnmarked(Length / 2 - 1, first, rng);
        return 0.5 + ((Mark(inputs, b, first) + Mark(inputs, b, second)) / 4);
    }

    // Uniform among positions [0, count) other than `taken`.
    private static int DrawUnmarked(int count, int taken, SeededRandom rng)
    {
        int free = taken < count ? count - 1 : count;
        int k = rng.NextInt(free);
        return taken < count && k >= taken ? k + 1 : k;
    }

    private static double Mark<T>(Sequence<T> inputs, int b, int t)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        inputs[t][b, 1] = T.One;
        if (t == 0)
            inputs[t][b, 0] = T.Zero; // the paper: a marked first pair counts as X = 0
        return double.CreateTruncating(inputs[t][b, 0]);
    }
}
