namespace Gradscope.Data;

/// <summary>
/// Seeded synthetic classification sets, small enough to train in seconds and hard enough to
/// show whether a network learns at all. The same arguments always give the same data on the same
/// machine. Rows come grouped or interleaved by class as each generator makes them; use
/// <see cref="Dataset.Split"/> (which shuffles) to hold out a test set.
/// </summary>
public static partial class SyntheticData
{
    private static readonly string[] PlaneNames = ["x", "y"];

    /// <summary>
    /// The CS231n spiral: <paramref name="classes"/> arms, point i of arm j at radius
    /// <c>r = i / (n - 1)</c> in [0, 1] and angle <c>t = 4j + 4r + noise * N(0, 1)</c>, features
    /// <c>(r sin t, r cos t)</c>. Not linearly separable; a hidden layer is needed.
    /// </summary>
    /// <param name="count">Total points, split evenly over the arms (the first arms get the remainder).</param>
    /// <param name="classes">Number of arms, at least 2.</param>
    /// <param name="noise">Standard deviation of the angle jitter in radians (CS231n uses 0.2).</param>
    /// <param name="seed">Seed of the jitter.</param>
    public static Dataset Spiral(int count, int classes, double noise, int seed)
    {
        Validate("spiral", count, classes, 2, noise);
        var random = new SeededRandom(seed);
        var features = new double[count * 2];
        var labels = new int[count];
        int row = 0;
        for (int arm = 0; arm < classes; arm++)
        {
            int n = (count / classes) + (arm < count % classes ? 1 : 0);
            for (int i = 0; i < n; i++, row++)
            {
                double r = Fraction(i, n, endpoint: true);
                double t = (4.0 * arm) + (4.0 * r) + (noise * random.NextGaussian());
                features[2 * row] = r * Math.Sin(t);
                features[(2 * row) + 1] = r * Math.Cos(t);
                labels[row] = arm;
            }
        }

        return new Dataset("spiral", features, labels, 2, classes, PlaneNames);
    }

    /// <summary>
    /// Two interleaving half circles, as scikit-learn's <c>make_moons</c>: class 0 on the upper
    /// unit half circle, class 1 on the lower one shifted to (1, 0.5); then
    /// <c>noise * N(0, 1)</c> added to each coordinate.
    /// </summary>
    /// <param name="count">Total points; class 0 gets <c>count / 2</c>, class 1 the rest.</param>
    /// <param name="noise">Standard deviation of the Gaussian added to each coordinate.</param>
    /// <param name="seed">Seed of the noise.</param>
    public static Dataset Moons(int count, double noise, int seed)
    {
        Validate("moons", count, 2, 2, noise);
        var random = new SeededRandom(seed);
        var features = new double[count * 2];
        var labels = new int[count];
        int outer = count / 2;
        for (int row = 0; row < count; row++)
        {
            bool isOuter = row < outer;
            int i = isOuter ? row : row - outer;
            double angle = Math.PI * Fraction(i, isOuter ? outer : count - outer, endpoint: true);
            double x = isOuter ? Math.Cos(angle) : 1.0 - Math.Cos(angle);
            double y = isOuter ? Math.Sin(angle) : 1.0 - Math.Sin(angle) - 0.5;
            SetPoint(features, labels, row, x, y, isOuter ? 0 : 1, noise, random);
        }

        return new Dataset("moons", features, labels, 2, 2, PlaneNames);
    }

    /// <summary>
    /// Two concentric circles, as scikit-learn's <c>make_circles</c>: class 0 on the unit circle,
    /// class 1 on the circle of radius <paramref name="factor"/>, angles evenly spaced (no
    /// endpoint); then <c>noise * N(0, 1)</c> added to each coordinate.
    /// </summary>
    /// <param name="count">Total points; class 0 gets <c>count / 2</c>, class 1 the rest.</param>
    /// <param name="noise">Standard deviation of the Gaussian added to each coordinate.</param>
    /// <param name="seed">Seed of the noise.</param>
    /// <param name="factor">Radius of the inner circle, in (0, 1).</param>
    public static Dataset Circles(int count, double noise, int seed, double factor = 0.5)
    {
        Validate("circles", count, 2, 2, noise);
        if (!(factor > 0.0 && factor < 1.0))
            throw new GradscopeException($"circles: the inner radius factor must be between 0 and 1, got {factor}.");
        var random = new SeededRandom(seed);
        var features = new double[count * 2];
        var labels = new int[count];
        int outer = count / 2;
        for (int row = 0; row < count; row++)
        {
            bool isOuter = row < outer;
            int i = isOuter ? row : row - outer;
            double angle = 2.0 * Math.PI * Fraction(i, isOuter ? outer : count - outer, endpoint: false);
            double radius = isOuter ? 1.0 : factor;
            SetPoint(features, labels, row, radius * Math.Cos(angle), radius * Math.Sin(angle), isOuter ? 0 : 1, noise, random);
        }

        return new Dataset("circles", features, labels, 2, 2, PlaneNames);
    }

    private static void SetPoint(double[] features, int[] labels, int row, double x, double y, int label, double noise, SeededRandom random)
    {
        // No draws at zero noise, so a noiseless set is exactly the clean geometry.
        if (noise > 0.0)
        {
            x += noise * random.NextGaussian();
            y += noise * random.NextGaussian();
        }

        features[2 * row] = x;
        features[(2 * row) + 1] = y;
        labels[row] = label;
    }

    /// <summary>i / (n - 1) with the endpoint (numpy linspace), i / n without; 0 when n is 1.</summary>
    private static double Fraction(int i, int n, bool endpoint)
    {
        int denominator = endpoint ? n - 1 : n;
        return denominator > 0 ? (double)i / denominator : 0.0;
    }

    /// <summary>
    /// The checks every generator makes before it allocates: classes, count, noise, dimensions and
    /// the size of the feature array. The catalog runs them without generating, so a command can
    /// check its options first.
    /// </summary>
    internal static void Validate(string name, int count, int classes, int dimensions, double noise)
    {
        CheckCommon(name, count, classes, noise);
        CheckDimensions(name, count, dimensions);
    }

    private static void CheckCommon(string name, int count, int classes, double noise)
    {
        if (classes < 2)
            throw new GradscopeException($"{name}: needs at least 2 classes, got {classes}.");
        if (count < classes)
            throw new GradscopeException($"{name}: needs at least one point per class ({classes}), got a count of {count}.");
        if (!(noise >= 0.0) || !double.IsFinite(noise))
            throw new GradscopeException($"{name}: noise must be a finite number >= 0, got {noise}.");
    }
}
