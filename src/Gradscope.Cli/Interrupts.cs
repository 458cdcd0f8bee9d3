using System.Runtime.InteropServices;
using Gradscope.Lab.Outputs;

namespace Gradscope.Cli;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM. A command that can stop cleanly takes <see cref="Listen"/>'s token:
/// the first signal then asks it to stop at its next step boundary and keep what exists (exit code
/// 130, or 143 for SIGTERM). A second signal, or the first while no command listens, ends the
/// process at once, as the signal's default would, after deleting the temporary files of writes
/// in progress and showing the terminal's cursor again (a progress bar hides it).
/// </summary>
internal sealed class Interrupts : IDisposable
{
    /// <summary>Exit code after SIGINT (128 + 2), as shells report it.</summary>
    public const int InterruptExitCode = 130;

    /// <summary>Exit code after SIGTERM (128 + 15).</summary>
    public const int TerminateExitCode = 143;

    private const string ShowCursor = "\u001b[?25h";

    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _error;
    private readonly bool _restoreCursor;
    private int _signals;
    private volatile bool _listening;
    private PosixSignal _first;

    private Interrupts(TextWriter error, bool restoreCursor)
    {
        _error = error;
        _restoreCursor = restoreCursor;
    }

    /// <summary>Handles nothing: for contexts built outside <see cref="Register"/>.</summary>
    public static Interrupts None { get; } = new(TextWriter.Null, restoreCursor: false);

    /// <summary>True once a first signal asked the listening command to stop.</summary>
    public bool StopRequested => _stop.IsCancellationRequested;

    /// <summary>The exit code for a command that stopped because of the first signal.</summary>
    public int ExitCode => _first == PosixSignal.SIGTERM ? TerminateExitCode : InterruptExitCode;

    /// <summary>Starts handling SIGINT and SIGTERM until disposed.</summary>
    /// <param name="error">Where the notice of a first signal goes.</param>
    /// <param name="restoreCursor">True when standard output is a terminal whose cursor a progress bar may have hidden.</param>
    public static Interrupts Register(TextWriter error, bool restoreCursor)
    {
        var interrupts = new Interrupts(error, restoreCursor);
        try
        {
            interrupts._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, interrupts.Handle));
            interrupts._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, interrupts.Handle));
        }
        catch (PlatformNotSupportedException)
        {
            // No signals here (a browser, WASI): Ctrl-C keeps the runtime's default.
        }

        return interrupts;
    }

    /// <summary>
    /// Says the command stops cleanly when the returned token is signalled, checking it at its
    /// step boundaries; from now on the first signal cancels the token instead of ending the process.
    /// </summary>
    public CancellationToken Listen()
    {
        _listening = true;
        return _stop.Token;
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _registrations.Clear();
    }

    // Runs on a thread-pool thread, not in the signal handler itself, so it may lock and write.
    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) == 1 && _listening)
        {
            _first = context.Signal;
            context.Cancel = true;
            _error.WriteLine(context.Signal == PosixSignal.SIGTERM
                ? "terminated: stopping after the current step and keeping what exists; a second signal quits at once."
                : "interrupted: stopping after the current step and keeping what exists; Ctrl-C again quits at once.");
            _error.Flush();
            _stop.Cancel();
            return;
        }

        TempFiles.DeleteAllAndClose();
        if (_restoreCursor)
        {
            Console.Out.Write(ShowCursor);
            Console.Out.Flush();
        }

        // context.Cancel stays false: the runtime now ends the process as the signal's default does.
    }
}
