using System.Runtime.ExceptionServices;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// Runs an experiment's trials in parallel under its settings (workers, cancellation), and lets a
/// trial's <see cref="GradscopeException"/> (missing data, a bad setting) reach the caller as itself
/// rather than wrapped in an <see cref="AggregateException"/>, so the command line can print its message.
/// </summary>
internal static class ParallelTrials
{
    /// <summary>Calls <paramref name="body"/> for each index of <paramref name="order"/>, at most <see cref="ExperimentSettings.Workers"/> at once.</summary>
    /// <exception cref="GradscopeException">A trial threw one (the first, when several did).</exception>
    /// <exception cref="OperationCanceledException">The settings' cancellation was signalled.</exception>
    public static void Run(IReadOnlyList<int> order, ExperimentSettings settings, Action<int> body)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Workers, CancellationToken = settings.Cancellation };
        try
        {
            Parallel.ForEach(order, options, body);
        }
        catch (AggregateException e)
        {
            foreach (var inner in e.Flatten().InnerExceptions)
            {
                if (inner is GradscopeException or OperationCanceledException)
                    ExceptionDispatchInfo.Capture(inner).Throw();
            }

            throw;
        }

        settings.Cancellation.ThrowIfCancellationRequested();
    }
}
