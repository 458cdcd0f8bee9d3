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

    public ControlOutcome Control(string runId, RunControl command) => Outcomes.GetValueOrDefault(runId, ControlOutcome.NotHosted);

    public HostedRunState? State(string runId) => Outcomes.ContainsKey(runId) ? new HostedRunState(runId, "paused", 7, 100) : null;

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
