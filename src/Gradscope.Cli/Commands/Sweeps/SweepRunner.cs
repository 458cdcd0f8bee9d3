using Gradscope.Lab.Store;
using Gradscope.Lab.Sweeps.Workers;

namespace Gradscope.Cli.Commands.Sweeps;

/// <summary>
/// Runs a sweep's trials on <c>parallel</c> threads of this process, each trial on one thread alone
/// (see <see cref="TrialTraining"/>), so a trial's numbers do not depend on how many run beside it. Each
/// thread has its own store connection, claims the next trial, trains it and stores its run and
/// state in one transaction. Once <c>stop</c> is signalled no trial starts, and those in flight end
/// at their next step as interrupted runs.
/// </summary>
internal sealed class SweepRunner(string storePath, string sweep, int parallel, SweepProgress progress, CancellationToken stop)
{
    private Exception? _failure;
    private int _next = -1;

    /// <summary>Runs <paramref name="trials"/>; a failure outside a trial (the store) on any thread stops the others and is rethrown.</summary>
    public void Run(IReadOnlyList<StoredTrial> trials)
    {
        int count = Math.Min(parallel, trials.Count);
        var threads = new Thread[count];
        for (int t = 0; t < count; t++)
        {
            threads[t] = new Thread(() => Work(trials)) { IsBackground = true, Name = $"Gradscope sweep {t + 1}" };
            threads[t].Start();
        }

        foreach (var thread in threads)
            thread.Join();
        progress.Close();
        if (_failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
    }

    private void Work(IReadOnlyList<StoredTrial> trials)
    {
        try
        {
            using var store = RunStore.Open(storePath);
            while (!stop.IsCancellationRequested && Volatile.Read(ref _failure) is null)
            {
                int i = Interlocked.Increment(ref _next);
                if (i >= trials.Count)
                    return;
                var trial = trials[i];
                if (!store.ClaimTrial(sweep, trial.Key))
                    continue; // another process took it
                var (run, state) = TrialTraining.Finished(trial, sweep, storePath, stop);
                store.FinishTrial(sweep, trial.Key, run, state);
                progress.Report(state, run.Status);
            }
        }
        catch (Exception ex)
        {
            // Rethrown on the calling thread, where the command reports it; never an unhandled thread exception.
            Interlocked.CompareExchange(ref _failure, ex, null);
        }
    }
}
