using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;

namespace Gradscope.Server.Tests;

/// <summary>A run host that starts nothing: it records what it was asked and answers as configured.</summary>
internal sealed class FakeRunHost : IRunHost
{
    public int Capacity { get; set; } = 2;

    public int Active { get; set; }

    public bool Full { get; set; }

    public List<(RunSpec Spec, HostedRunOptions Options)> Started { get; } = [];

    public List<(string RunId, string Remedy, HostedRunOptions Options)> Remedies { get; } = [];

    public Dictionary<string, ControlOutcome> Outcomes { get; } = [];

    public DecisionBoundary? BoundaryResult { get; set; }

    public int Disposed { get; private set; }

    public string Start(RunSpec spec, HostedRunOptions options)
    {
        if (Full)
            throw new RunHostFullException(Capacity);
        Started.Add((spec, options));
        return "01HSTARTED0000000000000000";
    }

    /// <summary>How long an applied command takes to show in <see cref="State"/> (a real run moves at its next step boundary).</summary>
    public TimeSpan Lag { get; set; }

    private readonly Dictionary<string, (HostedRunState State, long VisibleAt)> _states = [];

    public ControlOutcome Control(string runId, RunControl command)
    {
        var outcome = Outcomes.GetValueOrDefault(runId, ControlOutcome.NotHosted);
        if (outcome != ControlOutcome.Applied)
            return outcome;
        var now = State(runId)!;
        var next = command switch
        {
            RunControl.Stop => now with { Status = "interrupted" },
            RunControl.Step => now with { Status = "paused", Step = now.Step + 1 },
            RunControl.Pause => now with { Status = "paused" },
            _ => now with { Status = "running" },
        };
        lock (_states)
            _states[runId] = (next, Environment.TickCount64 + (long)Lag.TotalMilliseconds);
        return outcome;
    }

    // Runs given an outcome are paused at step 7 until a command moves them.
    public HostedRunState? State(string runId)
    {
        if (!Outcomes.ContainsKey(runId))
            return null;
        lock (_states)
        {
            if (_states.TryGetValue(runId, out var state) && Environment.TickCount64 >= state.VisibleAt)
                return state.State;
        }

        return new HostedRunState(runId, "paused", 7, 100);
    }

    public string StartRemedy(string runId, string remedyId, HostedRunOptions options)
    {
        if (Full)
            throw new RunHostFullException(Capacity);
        Remedies.Add((runId, remedyId, options));
        return "01HREMEDY00000000000000000";
    }

    public DecisionBoundary? Boundary(string runId, int grid) => BoundaryResult is null ? null : BoundaryResult with { Grid = grid };

    public SquashingView? Squashing(string runId, int grid) => null;

    public LayerSensitivity? Sensitivity(string runId, int layer, double epsilon) => new(layer, epsilon, 0.5, [0.1, 0.5, double.NaN]);

    public void Dispose() => Disposed++;
}
