namespace Gradscope.Lab.Outputs;

/// <summary>The checks each planned output passes before any work starts.</summary>
public sealed partial class OutputFiles
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private OutputTarget AddWritten(string option, string path, OutputMode mode)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
            throw new OutputPathException($"{option} needs a file name; got an empty one.");
        if (path == StandardOutputName)
            return AddStandardOutput(option, mode);

        string full = FollowLinks(option, path, System.IO.Path.GetFullPath(path));
        var node = FileNode.At(full);
        if (node.Exists && node.Kind != FileNodeKind.Regular)
            throw new OutputPathException(NotRegularMessage(option, path, node.Kind));
        string folder = System.IO.Path.GetDirectoryName(full)!;
        var folderNode = FileNode.At(folder);
        if (folderNode.Kind != FileNodeKind.Directory)
        {
            string problem = folderNode.Exists ? "is not a folder" : "does not exist; create it first";
            throw new OutputPathException($"{option} '{path}': the folder '{folder}' {problem}.");
        }

        var target = new OutputTarget(option, path, full, mode);
        var planned = new Planned(target, node);
        foreach (var input in _inputs)
            RefuseInputOverwrite(planned, input);
        foreach (var other in _outputs)
        {
            if (other.Target.Mode != OutputMode.Folder && SameFile(other.Target.Path!, other.Node, full, node))
                throw new OutputPathException($"{option} '{path}' is also the output of {other.Target.Option} '{other.Target.Given}'; give each output its own file.");
        }

        if (mode == OutputMode.Streamed && node.Exists)
            ProbeExisting(option, path, full);
        else
            ProbeFolder(option, path, folder);
        _outputs.Add(planned);
        return target;
    }

    private OutputTarget AddStandardOutput(string option, OutputMode mode)
    {
        foreach (var other in _outputs)
        {
            if (other.Target.IsStandardOutput)
                throw new OutputPathException($"{option} and {other.Target.Option} both write to standard output ('-'); send one of them to a file.");
        }

        var target = new OutputTarget(option, StandardOutputName, null, mode);
        _outputs.Add(new Planned(target, default));
        return target;
    }

    /// <summary>The regular file a symbolic link names (links to links followed), or <paramref name="full"/> itself.</summary>
    private static string FollowLinks(string option, string given, string full)
    {
        var info = new FileInfo(full);
        if (info.LinkTarget is null)
            return full;
        try
        {
            var final = info.ResolveLinkTarget(returnFinalTarget: true);
            return final is null ? full : System.IO.Path.GetFullPath(final.FullName);
        }
        catch (IOException ex)
        {
            throw new OutputPathException($"{option} '{given}' is a symbolic link that cannot be followed: {ex.Message}", ex);
        }
    }

    private static void RefuseInputOverwrite(Planned output, Input input)
    {
        var target = output.Target;
        if (target.Mode == OutputMode.Folder || target.IsStandardOutput)
            return;
        if (SameFile(target.Path!, output.Node, input.Path, input.Node))
        {
            throw new OutputPathException($"{target.Option} '{target.Given}' is the file {input.Option} '{input.Given}' reads; " +
                "writing it would destroy that input. Give the output another name.");
        }
    }

    private static bool SameFile(string pathA, FileNode nodeA, string pathB, FileNode nodeB)
    {
        if (nodeA.Exists && nodeB.Exists && nodeA.HasIdentity && nodeB.HasIdentity)
            return nodeA.IsSameFileAs(nodeB);
        return string.Equals(pathA, pathB, PathComparison);
    }

    private static string NotRegularMessage(string option, string given, FileNodeKind kind)
    {
        if (kind == FileNodeKind.Directory)
            return $"{option} '{given}' is a folder; give a file name inside it.";
        return $"{option} '{given}' is {Describe(kind)}, not a regular file; Gradscope writes outputs only to regular files " +
            "(use '-' for standard output).";
    }

    private static string Describe(FileNodeKind kind) => kind switch
    {
        FileNodeKind.Regular => "a file",
        FileNodeKind.Directory => "a folder",
        FileNodeKind.Device => "a device",
        FileNodeKind.Fifo => "a FIFO (named pipe)",
        _ => "a socket or other special file",
    };

    private static void CreateFolder(string option, string given, string full)
    {
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputPathException($"{option} '{given}': cannot create the folder: {ex.Message}", ex);
        }
    }

    /// <summary>Proves the folder takes new files by creating (and deleting) a temporary one; clears dead processes' leftovers on the way.</summary>
    private static void ProbeFolder(string option, string given, string folder)
    {
        TempFiles.RemoveStale(folder);
        try
        {
            var (probe, stream) = TempFiles.Create(System.IO.Path.Combine(folder, "probe"));
            stream.Dispose();
            TempFiles.Release(probe, delete: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputPathException($"{option} '{given}': the folder '{folder}' is not writable: {ex.Message}", ex);
        }
    }

    /// <summary>A streamed output is written in place, so an existing file itself must open for writing.</summary>
    private static void ProbeExisting(string option, string given, string full)
    {
        try
        {
            new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1).Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputPathException($"{option} '{given}' is not writable: {ex.Message}", ex);
        }
    }
}
