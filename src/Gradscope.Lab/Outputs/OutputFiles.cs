namespace Gradscope.Lab.Outputs;

/// <summary>
/// The one policy for every file a run writes (models, traces, pictures, reports, exports). A
/// command names its inputs and outputs before any work starts; each output is checked at once,
/// so a bad path costs nothing:
/// <list type="bullet">
/// <item>a device, FIFO, socket or directory is refused (a rename would replace it with a regular file);</item>
/// <item>a file that is an input of the same run (same device and inode, so hard links count) is refused;</item>
/// <item>two outputs to one file (or two to standard output) are refused;</item>
/// <item>a symbolic link is followed: the regular file it names is written, the link stays;</item>
/// <item>the folder must exist and be writable, which is tried by creating a file in it;</item>
/// <item><c>-</c> means standard output.</item>
/// </list>
/// Whole files are then written atomically (<see cref="Write"/>), streamed ones in place
/// (<see cref="OpenStreamed"/>); temporary files are removed on failure and on interrupt, and those
/// of dead processes when a write starts in their folder.
/// </summary>
public sealed partial class OutputFiles
{
    /// <summary>The path that means standard output.</summary>
    public const string StandardOutputName = "-";

    private readonly List<Input> _inputs = [];
    private readonly List<Planned> _outputs = [];
    private readonly Func<Stream> _standardOutput;

    /// <summary>Creates an empty plan.</summary>
    /// <param name="standardOutput">Opens the stream that <c>-</c> writes to; the console's by default.</param>
    public OutputFiles(Func<Stream>? standardOutput = null)
    {
        _standardOutput = standardOutput ?? Console.OpenStandardOutput;
    }

    /// <summary>True when an output goes to standard output, so the command's own text must go elsewhere.</summary>
    public bool WritesStandardOutput
    {
        get
        {
            foreach (var planned in _outputs)
            {
                if (planned.Target.IsStandardOutput)
                    return true;
            }

            return false;
        }
    }

    /// <summary>
    /// Names a file the run reads (data, model, spec), so that no output overwrites it. Paths that
    /// name no existing file (a built-in data set's name) are ignored.
    /// </summary>
    public void AddInput(string option, string path)
    {
        if (string.IsNullOrEmpty(path) || path == StandardOutputName)
            return;
        string full = System.IO.Path.GetFullPath(path);
        var node = FileNode.At(full);
        if (!node.Exists || node.Kind == FileNodeKind.Directory)
            return;
        var input = new Input(option, path, FollowLinks(option, path, full), node);
        foreach (var planned in _outputs)
            RefuseInputOverwrite(planned, input);
        _inputs.Add(input);
    }

    /// <summary>Plans a file written whole, atomically, at the end; throws <see cref="OutputPathException"/> when it cannot be.</summary>
    public OutputTarget AddFile(string option, string path) => AddWritten(option, path, OutputMode.WholeFile);

    /// <summary>Plans a file appended in place as the run goes; throws <see cref="OutputPathException"/> when it cannot be.</summary>
    public OutputTarget AddStreamed(string option, string path) => AddWritten(option, path, OutputMode.Streamed);

    /// <summary>
    /// Plans a folder of whole files, creating it (and its parents) when missing; its files are
    /// planned with <see cref="AddFileIn"/>.
    /// </summary>
    public OutputTarget AddFolder(string option, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == StandardOutputName)
            throw new OutputPathException($"{option} names a folder; '-' (standard output) cannot be one.");
        string full = System.IO.Path.GetFullPath(path);
        var node = FileNode.At(full);
        if (node.Exists && node.Kind != FileNodeKind.Directory)
            throw new OutputPathException($"{option} '{path}' is {Describe(node.Kind)}, not a folder.");
        if (!node.Exists)
            CreateFolder(option, path, full);
        ProbeFolder(option, path, full);
        var target = new OutputTarget(option, path, full, OutputMode.Folder);
        _outputs.Add(new Planned(target, FileNode.At(full)));
        return target;
    }

    /// <summary>Plans the whole file <paramref name="name"/> inside the planned <paramref name="folder"/>.</summary>
    public OutputTarget AddFileIn(OutputTarget folder, string name)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (folder.Mode != OutputMode.Folder)
            throw new ArgumentException("not a planned folder", nameof(folder));
        return AddWritten(folder.Option, System.IO.Path.Combine(folder.Given, name), OutputMode.WholeFile);
    }

    /// <summary>
    /// Writes the whole file <paramref name="target"/>: atomically through a temporary file, or to
    /// standard output. A failure leaves any earlier file unchanged and no temporary file behind.
    /// </summary>
    /// <exception cref="GradscopeException">The write failed (disk full, permissions changed...); the message names the option and path.</exception>
    public void Write(OutputTarget target, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(write);
        if (target.Mode != OutputMode.WholeFile)
            throw new ArgumentException($"{target.Option} is not planned as a whole file", nameof(target));
        if (target.IsStandardOutput)
        {
            WriteStandardOutput(write);
            return;
        }

        try
        {
            AtomicFile.Write(target.Path!, write);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GradscopeException($"cannot write {target.Option} '{target.Given}': {ex.Message}; any earlier file there is unchanged.", ex);
        }
    }

    /// <summary>Opens the streamed output <paramref name="target"/> for writing in place (truncated first); dispose it to close.</summary>
    /// <exception cref="GradscopeException">The file cannot be opened.</exception>
    public Stream OpenStreamed(OutputTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Mode != OutputMode.Streamed)
            throw new ArgumentException($"{target.Option} is not planned as a streamed file", nameof(target));
        if (target.IsStandardOutput)
            return _standardOutput();
        try
        {
            return new FileStream(target.Path!, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GradscopeException($"cannot write {target.Option} '{target.Given}': {ex.Message}", ex);
        }
    }

    private void WriteStandardOutput(Action<Stream> write)
    {
        var stream = _standardOutput();
        write(stream);
        stream.Flush();
    }

    private sealed record Input(string Option, string Given, string Path, FileNode Node);

    private sealed record Planned(OutputTarget Target, FileNode Node);
}
