namespace Gradscope.Lab.Outputs;

/// <summary>How an output reaches its file.</summary>
public enum OutputMode
{
    /// <summary>Written whole at the end, atomically: readers see the old file or the new one.</summary>
    WholeFile,

    /// <summary>Appended in place as the run goes (a live trace), so readers can follow it.</summary>
    Streamed,

    /// <summary>A folder the run writes whole files into (created when missing).</summary>
    Folder,
}

/// <summary>
/// One output of a run, checked by <see cref="OutputFiles"/> before any work starts: where its
/// bytes go and which option asked for it.
/// </summary>
public sealed class OutputTarget
{
    internal OutputTarget(string option, string given, string? path, OutputMode mode)
    {
        Option = option;
        Given = given;
        Path = path;
        Mode = mode;
    }

    /// <summary>The option that names the output, such as <c>--save</c>; messages cite it.</summary>
    public string Option { get; }

    /// <summary>The path as the user wrote it (<c>-</c> for standard output); what messages show.</summary>
    public string Given { get; }

    /// <summary>The full path the bytes go to, symbolic links followed; null for standard output.</summary>
    public string? Path { get; }

    /// <summary>How the output is written.</summary>
    public OutputMode Mode { get; }

    /// <summary>True when the output is standard output (<c>-</c>).</summary>
    public bool IsStandardOutput => Path is null;

    /// <inheritdoc/>
    public override string ToString() => Given;
}

/// <summary>An output path that cannot be used: its message names the option and the path.</summary>
public sealed class OutputPathException : GradscopeException
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public OutputPathException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a user-facing message and the low-level cause.</summary>
    public OutputPathException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
