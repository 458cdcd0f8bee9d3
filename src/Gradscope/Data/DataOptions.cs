namespace Gradscope.Data;

/// <summary>
/// How <see cref="Catalog.DatasetCatalog.Load"/> builds or finds a data set. Unset (null) values take the
/// named set's default, listed on each property; options a set does not use are ignored.
/// </summary>
public sealed record DataOptions
{
    /// <summary>The defaults of every set.</summary>
    public static DataOptions Default { get; } = new();

    /// <summary>
    /// Total rows of a synthetic set. Defaults: spiral 300 per class (900 for 3 classes),
    /// moons, circles and xor 1000, checkerboard 2000, blobs 300 per class, teacher 2000.
    /// </summary>
    public int? Count { get; init; }

    /// <summary>Classes of spiral, blobs and teacher (default 3); the others have exactly 2.</summary>
    public int? Classes { get; init; }

    /// <summary>
    /// Noise of a synthetic set, in each generator's unit. Defaults: spiral 0.2 (angle jitter),
    /// moons 0.1, circles 0.05, xor 0.1, checkerboard 0 (coordinate jitter), blobs 1 (cluster
    /// standard deviation), teacher 0 (output noise).
    /// </summary>
    public double? Noise { get; init; }

    /// <summary>Seed of a synthetic set.</summary>
    public int Seed { get; init; }

    /// <summary>Input dimensions of blobs (default 2) and teacher (default 10); the 2-D sets accept only 2.</summary>
    public int? Dimensions { get; init; }

    /// <summary>Directory holding IDX files (mnist, fashion-mnist); else <c>$GRADSCOPE_DATA</c>, else <c>/usr/share/datasets/&lt;set&gt;</c>.</summary>
    public string? DataDir { get; init; }

    /// <summary>Name of a CSV file's label column; the last column when null.</summary>
    public string? Label { get; init; }

    /// <summary>For IDX sets: the training files (<c>train-*</c>) when true, the test files (<c>t10k-*</c>) when false.</summary>
    public bool Train { get; init; } = true;

    /// <summary>For IDX sets: read at most this many rows (the first ones); all when null.</summary>
    public int? Limit { get; init; }

    /// <summary>For the sequence tasks (adding, copy, temporal-order): the sequence length T (default 50).</summary>
    public int? SequenceLength { get; init; }
}
