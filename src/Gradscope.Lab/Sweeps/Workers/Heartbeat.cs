using Gradscope.Lab.Store;

namespace Gradscope.Lab.Sweeps.Workers;

/// <summary>
/// The worker's heartbeat, on a thread and a store connection of its own: every third of the lease
/// it renews each slot's lease (a renewal that fails cancels that slot's training) and beats the
/// worker's row, so <c>sweep status</c> can tell live workers from gone ones.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly WorkerOptions _options;
    private readonly WorkerIdentity _identity;
    private readonly TrialLease?[] _leases;
    private readonly Func<int> _done;
    private readonly Action<string> _warn;
    private readonly ManualResetEventSlim _stopped = new();
    private readonly Thread _thread;

    public Heartbeat(WorkerOptions options, WorkerIdentity identity, Func<int> done, Action<string> warn)
    {
        (_options, _identity, _done, _warn) = (options, identity, done, warn);
        _leases = new TrialLease?[options.Slots];
        _thread = new Thread(Beat) { IsBackground = true, Name = "Gradscope worker heartbeat" };
    }

    public void Start() => _thread.Start();

    /// <summary>Slot <paramref name="slot"/> (0-based) holds <paramref name="lease"/>, or nothing when null.</summary>
    public void Hold(int slot, TrialLease? lease) => Volatile.Write(ref _leases[slot], lease);

    private void Beat()
    {
        var every = _options.Lease / 3;
        try
        {
            using var store = RunStore.Open(_options.Store, _options.RetryBudget, _warn);
            while (!_stopped.Wait(every))
            {
                for (int slot = 0; slot < _leases.Length; slot++)
                {
                    if (Volatile.Read(ref _leases[slot]) is { } lease && !store.RenewLease(lease.Claim, _options.Lease))
                        lease.MarkLost();
                }

                store.BeatWorker(_identity, _done());
            }
        }
        catch (StoreException ex)
        {
            // The leases lapse and other workers take the trials over; the slots find out at their next store call.
            _warn($"warning: heartbeat stopped: {ex.Message}");
            foreach (var lease in _leases)
                lease?.MarkLost();
        }
    }

    public void Dispose()
    {
        _stopped.Set();
        if (_thread.IsAlive)
            _thread.Join();
        _stopped.Dispose();
    }
}
