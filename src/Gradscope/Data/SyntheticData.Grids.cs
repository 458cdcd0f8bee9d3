namespace Gradscope.Data;

public static partial class SyntheticData
{
    /// <summary>
    /// XOR: points uniform in the four quadrants of [-1, 1]^2 (point i in quadrant i mod 4, so the
    /// classes balance), class 0 where x and y have the same sign, class 1 where they differ; then
    /// <c>noise * N(0, 1)</c> added to each coordinate (labels stay those of the clean point).
    /// </summary>
    /// <param name="count">Total points.</param>
    /// <param name="noise">Standard deviation of the Gaussian added to each coordinate.</param>
    /// <param name="seed">Seed of the positions and the noise.</param>
    public static Dataset Xor(int count, double noise, int seed)
    {
        Validate("xor", count, 2, 2, noise);
        var random = new SeededRandom(seed);
        var features = new double[count * 2];
        var labels = new int[count];
        for (int row = 0; row < count; row++)
        {
            int quadrant = row % 4;
            double signX = (quadrant & 1) == 0 ? 1.0 : -1.0;
            double signY = (quadrant & 2) == 0 ? 1.0 : -1.0;
            double x = signX * random.NextDouble();
            double y = signY * random.NextDouble();
            SetPoint(features, labels, row, x, y, signX == signY ? 0 : 1, noise, random);
        }

        return new Dataset("xor", features, labels, 2, 2, PlaneNames);
    }

    /// <summary>
    /// A 4x4 checkerboard over [-1, 1]^2: points uniform within the cells (point i in cell i mod 16,
    /// so the classes balance), cell (cx, cy) labelled <c>(cx + cy) mod 2</c>; then
    /// <c>noise * N(0, 1)</c> added to each coordinate (labels stay those of the clean point).
    /// </summary>
    /// <param name="count">Total points.</param>
    /// <param name="noise">Standard deviation of the Gaussian added to each coordinate.</param>
    /// <param name="seed">Seed of the positions and the noise.</param>
    public static Dataset Checkerboard(int count, double noise, int seed)
    {
        Validate("checkerboard", count, 2, 2, noise);
        const int Cells = 4;
        const double CellWidth = 2.0 / Cells;
        var random = new SeededRandom(seed);
        var features = new double[count * 2];
        var labels = new int[count];
        for (int row = 0; row < count; row++)
        {
            int cell = row % (Cells * Cells);
            int cx = cell % Cells;
            int cy = cell / Cells;
            double x = -1.0 + (CellWidth * (cx + random.NextDouble()));
            double y = -1.0 + (CellWidth * (cy + random.NextDouble()));
            SetPoint(features, labels, row, x, y, (cx + cy) % 2, noise, random);
        }

        return new Dataset("checkerboard", features, labels, 2, 2, PlaneNames);
    }
}
