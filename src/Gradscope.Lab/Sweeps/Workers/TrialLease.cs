using Gradscope.Lab.Store;

namespace Gradscope.Lab.Sweeps.Workers;

/// <summary>
/// A slot's hold on its claimed trial while it trains: the heartbeat renews it, and when renewal
/// fails (the lease lapsed, another worker took the trial over) cancels the training.
/// </summary>
internal sealed class TrialLease(ClaimedTrial claim, CancellationToken stop) : IDisposable
{
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
    private volatile bool _lost;
    private volatile bool _ended;

    public ClaimedTrial Claim { get; } = claim;

    /// <summary>Cancelled when the worker stops or the lease is lost.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>True once a renewal failed while the trial trained.</summary>
    public bool Lost => _lost;

    /// <summary>Training ended: a renewal failing from now on is the trial being finished, not lost.</summary>
    public void End() => _ended = true;

    /// <summary>Told by the heartbeat that renewal failed.</summary>
    public void MarkLost()
    {
        if (_ended)
            return;
        _lost = true;
        _cancel.Cancel();
    }

    public void Dispose() => _cancel.Dispose();
}
