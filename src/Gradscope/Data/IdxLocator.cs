namespace Gradscope.Data;

/// <summary>
/// Finds the IDX files of MNIST-like sets: in the explicit directory when one is given, else in
/// <c>$GRADSCOPE_DATA</c>, else in <c>/usr/share/datasets/&lt;set&gt;</c> (where Debian's
/// <c>dataset-fashion-mnist</c> package puts Fashion-MNIST). A directory also matches through its
/// <c>&lt;set&gt;</c> subdirectory, so one data root can hold several sets.
/// </summary>
internal static class IdxLocator
{
    public const string EnvironmentVariable = "GRADSCOPE_DATA";
    public const string SystemRoot = "/usr/share/datasets";

    /// <summary>The images and labels paths; throws a message listing the places searched when not found.</summary>
    public static (string Images, string Labels) Find(string setName, bool train, string? explicitDir, string? environmentDir, string systemRoot = SystemRoot)
    {
        string prefix = train ? "train" : "t10k";
        var searched = new List<string>();
        foreach (string dir in Places(setName, explicitDir, environmentDir, systemRoot))
        {
            searched.Add(dir);
            string? images = FindFile(dir, prefix, "images", 3);
            string? labels = FindFile(dir, prefix, "labels", 1);
            if (images is not null && labels is not null)
                return (images, labels);
        }

        throw new GradscopeException(
            $"Cannot find the {setName} {(train ? "training" : "test")} files ({prefix}-images-idx3-ubyte and {prefix}-labels-idx1-ubyte, optionally .gz). " +
            $"Searched: {string.Join(", ", searched)}. " +
            $"Put the four IDX files in a directory and pass it with --data-dir DIR, or set {EnvironmentVariable}=DIR" +
            (setName == "fashion-mnist" ? "; on Debian or Ubuntu, 'apt install dataset-fashion-mnist' installs them in /usr/share/datasets/fashion-mnist." : "."));
    }

    /// <summary>
    /// The official test files (<c>t10k-*</c>) beside the training images at
    /// <paramref name="trainImages"/>, or null when that directory has none.
    /// </summary>
    public static (string Images, string Labels)? FindTest(string trainImages)
    {
        string dir = Path.GetDirectoryName(trainImages) ?? ".";
        string? images = FindFile(dir, "t10k", "images", 3);
        string? labels = FindFile(dir, "t10k", "labels", 1);
        return images is not null && labels is not null ? (images, labels) : null;
    }

    private static IEnumerable<string> Places(string setName, string? explicitDir, string? environmentDir, string systemRoot)
    {
        string? root = !string.IsNullOrEmpty(explicitDir) ? explicitDir
            : !string.IsNullOrEmpty(environmentDir) ? environmentDir
            : null;
        if (root is null)
        {
            yield return Path.Combine(systemRoot, setName);
            yield break;
        }

        yield return root;
        yield return Path.Combine(root, setName);
    }

    private static string? FindFile(string dir, string prefix, string kind, int dims)
    {
        // Yann LeCun's and Zalando's files use '-' before idx; some mirrors use '.'.
        string[] names = [$"{prefix}-{kind}-idx{dims}-ubyte", $"{prefix}-{kind}.idx{dims}-ubyte"];
        foreach (string name in names)
        {
            foreach (string suffix in (ReadOnlySpan<string>)["", ".gz"])
            {
                string path = Path.Combine(dir, name + suffix);
                if (File.Exists(path))
                    return path;
            }
        }

        return null;
    }
}
