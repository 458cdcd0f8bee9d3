namespace Gradscope.Training;

/// <summary>Where a run's held-out rows come from, so that every reported accuracy can say which split it is.</summary>
public enum HeldOutKind
{
    /// <summary>A random share of the data (a run's test split), held out as the test set: "test split".</summary>
    TestSplit,

    /// <summary>A random share of the training files, held out while the set's official test set waits for the end: "validation".</summary>
    Validation,

    /// <summary>The set's official test files, such as Fashion-MNIST's <c>t10k-*</c>: "test (official)".</summary>
    OfficialTest,
}

/// <summary>Names of the splits as reports show them.</summary>
public static class SplitNames
{
    /// <summary>The training rows.</summary>
    public const string Train = "train";

    /// <summary>"test split", "validation" or "test (official)".</summary>
    public static string Name(this HeldOutKind kind) => kind switch
    {
        HeldOutKind.TestSplit => "test split",
        HeldOutKind.Validation => "validation",
        HeldOutKind.OfficialTest => "test (official)",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
