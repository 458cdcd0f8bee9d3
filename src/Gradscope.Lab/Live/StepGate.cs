namespace Gradscope.Lab.Live;

/// <summary>The model of a hosted run as it was after <see cref="Step"/> steps: the safetensors bytes the store keeps.</summary>
internal sealed record ModelSnapshot(long Step, byte[] Model);

/// <summary>
/// The boundary between two steps of a hosted run, where its training thread holds while the run
/// is paused and takes the model snapshots other threads ask for: weights are read only there, never
/// during an update. Control commands and snapshot requests come from any thread. A run held at
/// one boundary for longer than <paramref name="heldLimit"/> (an abandoned playground tab keeps a
/// run slot otherwise) is released and <paramref name="expired"/> is called to end it.
/// </summary>
internal sealed class StepGate(bool paused, TimeSpan? heldLimit = null, Action? expired = null)
{
    private readonly object _sync = new();
    private readonly long _heldLimitMs = heldLimit is { } limit ? (long)limit.TotalMilliseconds : long.MaxValue;
    private bool _paused = paused;
    private int _stepsAllowed;
    private bool _stopped;
    private bool _ended;
    private long _requested;
    private long _served;
    private ModelSnapshot? _latest;

    /// <summary>True while the run is told to hold (it may still be finishing its current step).</summary>
    public bool Paused
    {
        get
        {
            lock (_sync)
                return _paused;
        }
    }

    /// <summary>Hold after the current step.</summary>
    public void Pause()
    {
        lock (_sync)
        {
            _paused = true;
            _stepsAllowed = 0;
        }
    }

    /// <summary>Go on.</summary>
    public void Resume()
    {
        lock (_sync)
        {
            _paused = false;
            _stepsAllowed = 0;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>Let exactly one more step run, then hold (a running run holds after its next step).</summary>
    public void Step()
    {
        lock (_sync)
        {
            _paused = true;
            _stepsAllowed = 1;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>Releases a held run for good; the caller cancels its training so it stops at this boundary.</summary>
    public void Stop()
    {
        lock (_sync)
        {
            _stopped = true;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>
    /// Called by the training thread between steps (and once before the first): takes the snapshot
    /// asked for, if any, then holds while the run is paused, taking snapshots as they are asked for.
    /// </summary>
    public void AtBoundary(Func<ModelSnapshot?> take)
    {
        bool tooLong = false;
        lock (_sync)
        {
            Serve(take);
            long since = Environment.TickCount64;
            while (_paused && _stepsAllowed == 0 && !_stopped)
            {
                long left = _heldLimitMs == long.MaxValue ? Timeout.Infinite : _heldLimitMs - (Environment.TickCount64 - since);
                if (left != Timeout.Infinite && left <= 0)
                {
                    tooLong = _stopped = true;
                    break;
                }

                Monitor.Wait(_sync, left == Timeout.Infinite ? Timeout.Infinite : (int)Math.Min(left, int.MaxValue));
                Serve(take);
            }

            if (_stepsAllowed > 0)
                _stepsAllowed--;
        }

        if (tooLong)
            expired?.Invoke();
    }

    /// <summary>The run ended: <paramref name="final"/> (null when no model is kept) answers every request from now on.</summary>
    public void End(ModelSnapshot? final)
    {
        lock (_sync)
        {
            _ended = true;
            _latest = final;
            _served = _requested;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>
    /// The model at the next step boundary (at once when the run is held or ended); after
    /// <paramref name="timeout"/> without a boundary, the last one taken, or null.
    /// </summary>
    public ModelSnapshot? Snapshot(TimeSpan timeout)
    {
        lock (_sync)
        {
            if (_ended)
                return _latest;
            long ticket = ++_requested;
            Monitor.PulseAll(_sync);
            long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (_served < ticket && !_ended)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                    break;
                Monitor.Wait(_sync, TimeSpan.FromMilliseconds(left));
            }

            return _latest;
        }
    }

    private void Serve(Func<ModelSnapshot?> take)
    {
        if (_served >= _requested)
            return;
        _latest = take() ?? _latest;
        _served = _requested;
        Monitor.PulseAll(_sync);
    }
}
