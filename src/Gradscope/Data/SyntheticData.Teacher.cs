namespace Gradscope.Data;

public static partial class SyntheticData
{
    private const int MaxDimensions = 100_000;
    private const int TeacherHidden = 32;
    private const double TeacherGain = 2.0;

    /// <summary>
    /// Gaussian blobs, as scikit-learn's <c>make_blobs</c>: one center per class drawn uniformly in
    /// [-10, 10]^d, point i of class <c>i mod classes</c> at <c>center + noise * N(0, I)</c>.
    /// The centers are drawn first, so a seed gives the same centers for any count.
    /// </summary>
    /// <param name="count">Total points.</param>
    /// <param name="classes">Number of blobs, at least 2.</param>
    /// <param name="dimensions">Features per point, at least 1.</param>
    /// <param name="noise">Standard deviation of each blob (scikit-learn's <c>cluster_std</c>, 1 by default there).</param>
    /// <param name="seed">Seed of the centers and the points.</param>
    public static Dataset Blobs(int count, int classes, int dimensions, double noise, int seed)
    {
        CheckCommon("blobs", count, classes, noise);
        CheckDimensions("blobs", count, dimensions);
        var random = new SeededRandom(seed);
        var centers = new double[classes * dimensions];
        for (int i = 0; i < centers.Length; i++)
            centers[i] = random.NextUniform(-10.0, 10.0);

        var features = new double[count * dimensions];
        var labels = new int[count];
        for (int row = 0; row < count; row++)
        {
            int label = row % classes;
            labels[row] = label;
            for (int col = 0; col < dimensions; col++)
                features[(row * dimensions) + col] = centers[(label * dimensions) + col] + (noise * random.NextGaussian());
        }

        return new Dataset("blobs", features, labels, dimensions, classes);
    }

    /// <summary>
    /// Labels from a random "teacher" network: inputs <c>x ~ N(0, I)</c> in d dimensions, labels
    /// <c>argmax(W2 tanh(W1 x + b1) + b2 + noise * N(0, I))</c> with 32 hidden units,
    /// <c>W1 ~ N(0, 4/d)</c> (gain 2, so tanh bends the boundaries), <c>b1 ~ N(0, 0.25)</c>,
    /// <c>W2 ~ N(0, 1/32)</c>, and <c>b2</c> set to minus each output's mean over the set so no
    /// class is starved. A student of the same shape can fit it exactly. <c>W1, b1, W2</c> are
    /// drawn first, so a seed gives the same weights for any count.
    /// </summary>
    /// <param name="count">Total points.</param>
    /// <param name="classes">Number of outputs of the teacher, at least 2.</param>
    /// <param name="dimensions">Input dimensions, at least 1.</param>
    /// <param name="noise">Standard deviation of the Gaussian added to the teacher's outputs (label noise).</param>
    /// <param name="seed">Seed of the teacher and the inputs.</param>
    public static Dataset Teacher(int count, int classes, int dimensions, double noise, int seed)
    {
        CheckCommon("teacher", count, classes, noise);
        CheckDimensions("teacher", count, dimensions);
        var random = new SeededRandom(seed);
        double[] w1 = Gaussians(random, TeacherHidden * dimensions, TeacherGain / Math.Sqrt(dimensions));
        double[] b1 = Gaussians(random, TeacherHidden, 0.5);
        double[] w2 = Gaussians(random, classes * TeacherHidden, 1.0 / Math.Sqrt(TeacherHidden));

        double[] features = Gaussians(random, count * dimensions, 1.0);
        var logits = new double[count * classes];
        var hidden = new double[TeacherHidden];
        for (int row = 0; row < count; row++)
        {
            ReadOnlySpan<double> x = features.AsSpan(row * dimensions, dimensions);
            for (int h = 0; h < TeacherHidden; h++)
                hidden[h] = Math.Tanh(Dot(w1.AsSpan(h * dimensions, dimensions), x) + b1[h]);
            for (int k = 0; k < classes; k++)
                logits[(row * classes) + k] = Dot(w2.AsSpan(k * TeacherHidden, TeacherHidden), hidden);
        }

        CenterColumns(logits, classes);
        var labels = new int[count];
        for (int row = 0; row < count; row++)
        {
            Span<double> z = logits.AsSpan(row * classes, classes);
            for (int k = 0; k < classes && noise > 0.0; k++)
                z[k] += noise * random.NextGaussian();
            labels[row] = ArgMax(z);
        }

        return new Dataset("teacher", features, labels, dimensions, classes);
    }

    private static void CheckDimensions(string name, int count, int dimensions)
    {
        if (dimensions < 1 || dimensions > MaxDimensions)
            throw new GradscopeException($"{name}: dimensions must be between 1 and {MaxDimensions}, got {dimensions}.");
        if ((long)count * dimensions > Array.MaxLength)
            throw new GradscopeException($"{name}: {count} points of {dimensions} dimensions are {(long)count * dimensions} values, more than the {Array.MaxLength} one array can hold; lower the count or the dimensions.");
    }

    private static double[] Gaussians(SeededRandom random, int length, double std)
    {
        var values = new double[length];
        for (int i = 0; i < values.Length; i++)
            values[i] = std * random.NextGaussian();
        return values;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0.0;
        for (int i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    private static void CenterColumns(double[] values, int width)
    {
        int rows = values.Length / width;
        for (int col = 0; col < width; col++)
        {
            double mean = 0.0;
            for (int row = 0; row < rows; row++)
                mean += values[(row * width) + col];
            mean /= rows;
            for (int row = 0; row < rows; row++)
                values[(row * width) + col] -= mean;
        }
    }

    private static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
                best = i;
        }

        return best;
    }
}
