namespace Gradscope.Tensors;

/// <summary>
/// The engine's own worker threads, which run parts of large matrix products and optimizer updates
/// beside the calling thread: what a benchmark needs to count a step's allocations on every thread
/// it ran on.
/// </summary>
public static class EngineThreads
{
    /// <summary>
    /// Bytes the worker threads have allocated while running the engine's work, since the process
    /// started. Add the caller's <see cref="GC.GetAllocatedBytesForCurrentThread"/> for what a piece
    /// of work allocated on all the threads it ran on (the runtime's own threads not included).
    /// </summary>
    public static long AllocatedBytes => GemmWorkers.WorkerAllocatedBytes;
}
