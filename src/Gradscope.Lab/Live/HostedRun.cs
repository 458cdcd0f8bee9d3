using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Live;

/// <summary>
/// One run a <see cref="RunHost"/> trains: its description, the thread that prepares and trains it,
/// the gate it holds at between steps, and how it ended. The number type's work is in
/// <see cref="HostedRun{T}"/>.
/// </summary>
internal abstract class HostedRun : IDisposable
{
    private readonly ManualResetEventSlim _prepared = new();
    private readonly object _sync = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<HostedRun> _ended;
    private Thread? _thread;
    private Exception? _preparationError;
    private long _steps;
    private RunStatus? _final;

    protected HostedRun(string storePath, RunSpec spec, HostedRunOptions options, Action<HostedRun> ended, TimeSpan pausedLimit)
    {
        StorePath = storePath;
        Spec = spec;
        Options = options;
        Gate = new StepGate(options.Paused, pausedLimit, () => _stop.Cancel());
        _ended = ended;
    }

    /// <summary>The run kind and tag of hosted runs in the store.</summary>
    public const string Kind = "serve";

    /// <summary>The stored run's id; set once prepared.</summary>
    public string Id { get; protected set; } = "";

    public RunSpec Spec { get; }

    public HostedRunOptions Options { get; }

    public StepGate Gate { get; }

    protected string StorePath { get; }

    /// <summary>Where the run's thread checks for a stop (between steps).</summary>
    protected CancellationToken StopToken => _stop.Token;

    /// <summary>Steps trained so far.</summary>
    public long Steps => Volatile.Read(ref _steps);

    /// <summary>The step budget.</summary>
    public long TotalSteps { get; protected set; }

    /// <summary>How the run ended; null while it goes.</summary>
    public RunStatus? Final
    {
        get
        {
            lock (_sync)
                return _final;
        }
    }

    /// <summary>The last warning of a store that failed mid-run (the run then goes on unrecorded); null when none.</summary>
    public string? Warning { get; protected set; }

    /// <summary>
    /// Starts the run's thread and waits until it has prepared the run (data, network, the stored
    /// record); a description that cannot run throws here, on the caller's thread.
    /// </summary>
    public void Start()
    {
        _thread = new Thread(Body) { IsBackground = true, Name = "Gradscope hosted run" };
        _thread.Start();
        _prepared.Wait();
        if (_preparationError is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_preparationError);
    }

    /// <summary>Ends the run at its next step boundary, at once when it is held there.</summary>
    public void Stop()
    {
        _stop.Cancel();
        Gate.Stop();
    }

    /// <summary>Waits for the run's thread to end.</summary>
    public void Join() => _thread?.Join();

    /// <summary>Frees the run's signals; call after <see cref="Join"/>.</summary>
    public void Dispose()
    {
        _stop.Dispose();
        _prepared.Dispose();
    }

    /// <summary>Builds the run on its own thread: data, network, monitor, recorder. Sets <see cref="Id"/> and <see cref="TotalSteps"/>.</summary>
    protected abstract void Prepare();

    /// <summary>Trains, diagnoses and stores the end; returns the status stored and the model kept (null for none).</summary>
    protected abstract (RunStatus Status, ModelSnapshot? Model) Train();

    /// <summary>Called by the training observer after each step.</summary>
    protected void Stepped(long steps) => Volatile.Write(ref _steps, steps);

    private void Body()
    {
        // Each hosted run on its thread alone: runs beside it do not contend for shared workers.
        using var single = Gradscope.Training.ComputeThreads.SingleThreaded();
        try
        {
            Prepare();
        }
        catch (Exception ex)
        {
            _preparationError = ex;
            _prepared.Set();
            _ended(this);
            return;
        }

        _prepared.Set();
        var (status, model) = Train();
        lock (_sync)
            _final = status;
        Gate.End(model);
        _ended(this);
    }
}
