namespace Gradscope.Lab.Outputs;

/// <summary>
/// Writes a whole file so that readers see the old file or the new one, never a part: the bytes go
/// to a temporary file in the same folder, are flushed to disk, and the temporary file is renamed
/// onto the target. The temporary file is removed on failure and on interrupt
/// (<see cref="TempFiles"/>); a write first removes those that dead processes left in the folder.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="target"/>, a full path whose folder exists and that is not a
    /// directory, device or FIFO (<see cref="OutputFiles"/> checks that).
    /// </summary>
    public static void Write(string target, Action<Stream> write)
    {
        string folder = Path.GetDirectoryName(target)!;
        TempFiles.RemoveStale(folder);
        var (temp, stream) = TempFiles.Create(target);
        bool renamed = false;
        try
        {
            using (stream)
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            // What was a regular file when the run began may have been replaced since; a rename
            // would turn a device or FIFO back into a regular file.
            var now = FileNode.At(target);
            if (now.Exists && now.Kind != FileNodeKind.Regular)
                throw new IOException($"'{target}' is no longer a regular file");
            KeepMode(target, temp, now);
            File.Move(temp, target, overwrite: true);
            renamed = true;
        }
        finally
        {
            TempFiles.Release(temp, delete: !renamed);
        }
    }

    // A replaced file keeps its permissions (a model kept private stays private).
    private static void KeepMode(string target, string temp, FileNode existing)
    {
        if (!existing.Exists || OperatingSystem.IsWindows())
            return;
        try
        {
            File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The new file keeps the default mode; the write itself is what matters.
        }
    }
}
