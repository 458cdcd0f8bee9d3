using System.Diagnostics;

namespace Gradscope.Tests.Memory;

/// <summary>A named pipe in a temporary folder, fed by a background writer; for loaders that must not read forever.</summary>
internal sealed class Fifo : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gradscope-fifo-").FullName;
    private Task? _writer;

    public Fifo(string name)
    {
        Path = System.IO.Path.Combine(_directory, name);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [Path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="bytes"/> into the pipe once its reader opens it (forever when <paramref name="endless"/>).</summary>
    public void Feed(byte[] bytes, bool endless = false)
    {
        _writer = Task.Run(() =>
        {
            try
            {
                using var pipe = new FileStream(Path, FileMode.Open, FileAccess.Write);
                do
                    pipe.Write(bytes);
                while (endless);
            }
            catch (IOException)
            {
                // The reader closed the pipe: what an endless writer waits for.
            }
        });
    }

    public void Dispose()
    {
        _writer?.Wait(TimeSpan.FromSeconds(10));
        Directory.Delete(_directory, recursive: true);
    }
}
