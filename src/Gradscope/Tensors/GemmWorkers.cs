using System.Diagnostics;

namespace Gradscope.Tensors;

/// <summary>Work split into parts that may run concurrently: a matrix product, an optimizer update.</summary>
internal interface IParallelJob
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    void RunPart(int part, int parts);
}

/// <summary>
/// One persistent worker thread per extra core for large products (and large optimizer updates).
/// The caller runs part 0 and waits for the workers, so parallel work allocates nothing (no tasks,
/// no closures). One job at a time: a caller that finds the workers busy runs serially instead of queueing.
/// <para>
/// A training step runs its products tens of microseconds apart (an activation or a loss in
/// between), so waiting threads spin for a short while before they block: waking a blocked
/// thread through the kernel costs tens of microseconds on a virtual machine, paid twice per
/// product (start and finish), which on a 784-512-512-10 step is several percent. OpenMP runtimes
/// (and so PyTorch) spin for the same reason.
/// </para>
/// </summary>
internal static class GemmWorkers
{
    /// <summary>The most parts a product is split into: the calling thread and up to 15 workers.</summary>
    public const int MaxParts = 16;

    /// <summary>How long a thread spins for the next product (or a product's end) before it blocks.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private static readonly int WorkerCount = Math.Clamp(Environment.ProcessorCount - 1, 0, MaxParts - 1);
    private static readonly ManualResetEventSlim Done = new(false);
    private static readonly object StartLock = new();
    private static ManualResetEventSlim[]? _start;
    private static IParallelJob? _job;
    private static Exception? _failure;
    private static int _busy;
    private static int _pending;
    private static int _generation;
    private static long _workerAllocated;

    [ThreadStatic]
    private static bool _serialOnly;

    /// <summary>
    /// Bytes the worker threads have allocated while running jobs, since the process started: with
    /// the caller's own count (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), what a piece of
    /// work allocated on every thread it ran on, without the runtime's own threads.
    /// </summary>
    public static long WorkerAllocatedBytes => Interlocked.Read(ref _workerAllocated);

    /// <summary>True when this machine has a core besides the caller's, so work can be shared at all.</summary>
    public static bool HasWorkers => WorkerCount > 0;

    /// <summary>
    /// When set, work started on the calling thread runs on it alone, as when another caller holds
    /// the workers (tests use it to compare both ways).
    /// </summary>
    public static bool SerialOnly
    {
        get => _serialOnly;
        set => _serialOnly = value;
    }

    /// <summary>Runs <paramref name="job"/> over all cores; false (nothing run) when there is one core or the workers are busy.</summary>
    public static bool TryRun(IParallelJob job)
    {
        if (WorkerCount == 0 || _serialOnly || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            return false;
        try
        {
            var start = _start ?? StartWorkers();
            int parts = WorkerCount + 1;
            _job = job;
            _failure = null;
            _pending = WorkerCount;
            Done.Reset();
            Interlocked.Increment(ref _generation); // spinning workers see this; blocked ones need the signal
            foreach (var signal in start)
                signal.Set();
            try
            {
                job.RunPart(0, parts);
            }
            finally
            {
                WaitForWorkers(); // even when part 0 failed: the workers must be out of the job before the next starts
            }

            if (_failure is { } failure)
                throw new InvalidOperationException("A worker thread failed.", failure);
            return true;
        }
        finally
        {
            _job = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    // Spins while the workers finish, then waits for the event itself even when the count reached
    // zero: the last worker sets it just after its decrement, and returning before that set could
    // let a late set land after the next product's reset, ending that product's wait early.
    private static void WaitForWorkers()
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref _pending) != 0 && Stopwatch.GetTimestamp() <= deadline)
            Thread.SpinWait(4);
        Done.Wait();
    }

    private static ManualResetEventSlim[] StartWorkers()
    {
        lock (StartLock)
        {
            if (_start is not null)
                return _start;
            var start = new ManualResetEventSlim[WorkerCount];
            for (int i = 0; i < WorkerCount; i++)
            {
                start[i] = new ManualResetEventSlim(false);
                int part = i + 1;
                var signal = start[i];
                var thread = new Thread(() => Work(signal, part)) { IsBackground = true, Name = $"Gradscope GEMM {part}" };
                thread.Start();
            }

            // ManualResetEventSlim creates its internal lock object on the first Wait that blocks.
            // A 1 ms wait on the unset event takes that path now, so no training step pays the
            // allocation later (the steady-state step allocates nothing).
            Done.Wait(1);
            _start = start;
            return start;
        }
    }

    private static void Work(ManualResetEventSlim start, int part)
    {
        int seen = 0;
        while (true)
        {
            seen = WaitForProduct(start, seen);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                _job!.RunPart(part, WorkerCount + 1);
            }
            catch (Exception ex)
            {
                _failure = ex;
            }

            // Counted before the job is reported done, so the caller reads it complete.
            Interlocked.Add(ref _workerAllocated, GC.GetAllocatedBytesForCurrentThread() - allocated);

            if (Interlocked.Decrement(ref _pending) == 0)
                Done.Set();
        }
    }

    // Spins until the generation moves past `seen`, then blocks on the signal. The signal is reset
    // before the generation is read again, so a product started in between is never missed.
    private static int WaitForProduct(ManualResetEventSlim start, int seen)
    {
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (true)
        {
            int generation = Volatile.Read(ref _generation);
            if (generation != seen)
                return generation;
            if (Stopwatch.GetTimestamp() <= deadline)
            {
                Thread.SpinWait(4);
                continue;
            }

            start.Reset();
            generation = Volatile.Read(ref _generation);
            if (generation != seen)
                return generation;
            start.Wait();
        }
    }
}
