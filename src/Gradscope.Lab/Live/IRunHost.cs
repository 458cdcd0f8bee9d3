using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Live;

/// <summary>
/// Runs that one process (the dashboard server) starts and steers: each is trained on a thread of
/// its own and recorded into the run store as it goes, so any reader of the store (the dashboard's
/// live page, <c>gradscope runs show</c>) sees its steps arrive. The server's HTTP endpoints are a
/// thin layer over this interface. Run ids are full ids (resolve a prefix against the store first).
/// </summary>
public interface IRunHost : IDisposable
{
    /// <summary>How many runs this host lets train at once (the machine's cores by default).</summary>
    int Capacity { get; }

    /// <summary>Runs started by this host that have not ended.</summary>
    int Active { get; }

    /// <summary>
    /// Starts <paramref name="spec"/> as a new stored run and returns its id at once (the run trains
    /// in the background).
    /// </summary>
    /// <exception cref="RunHostFullException"><see cref="Capacity"/> runs are already going.</exception>
    /// <exception cref="GradscopeException">The description cannot run (unknown data set, shapes that do not fit); the message says why.</exception>
    string Start(RunSpec spec, HostedRunOptions options);

    /// <summary>
    /// Stops, pauses, resumes or single-steps a run this host started. Stop ends it at its next step
    /// boundary (at once when paused) as interrupted; Step on a running run holds it after one more step.
    /// </summary>
    ControlOutcome Control(string runId, RunControl command);

    /// <summary>The live state of a run this host started; null when it did not start it.</summary>
    HostedRunState? State(string runId);

    /// <summary>
    /// Starts a new run: the stored run <paramref name="runId"/>'s description with
    /// <paramref name="remedyId"/> applied (a rewrite of its layer list, optimizer or init), tagged
    /// and parented to it.
    /// </summary>
    /// <exception cref="RunHostFullException">No capacity left.</exception>
    /// <exception cref="GradscopeException">The store has no such run, the run has no description (imported), the remedy is unknown, or it would leave the description unchanged.</exception>
    string StartRemedy(string runId, string remedyId, HostedRunOptions options);

    /// <summary>
    /// The decision boundary over the input plane of a run on 2-D data: from the live model of a run
    /// this host trains, else from the model the store keeps for it. Null when the run's data is not
    /// 2-D or no model is available (a diverged or failed run keeps none).
    /// </summary>
    /// <exception cref="GradscopeException"><paramref name="grid"/> is outside 2..200.</exception>
    DecisionBoundary? Boundary(string runId, int grid);

    /// <summary>
    /// The "squashing" view of a 2-D run: the image of a grid of input points after each layer
    /// (first two principal directions), and the spread that remains; null as for <see cref="Boundary"/>.
    /// </summary>
    /// <exception cref="GradscopeException"><paramref name="grid"/> is outside 2..200.</exception>
    SquashingView? Squashing(string runId, int grid);

    /// <summary>
    /// How far the network's output moves when layer <paramref name="layer"/>'s weights are perturbed
    /// by a relative <paramref name="epsilon"/> (the sensitivity measurement of the experiments);
    /// null as for <see cref="Boundary"/>. Layers are the dense layers along the main path, numbered
    /// from 1 as the trace numbers them (the last one is the output layer).
    /// </summary>
    /// <exception cref="GradscopeException"><paramref name="layer"/> is not one of them, or <paramref name="epsilon"/> is not in (0, 10].</exception>
    LayerSensitivity? Sensitivity(string runId, int layer, double epsilon);
}

/// <summary>Labels for a run a host starts.</summary>
/// <param name="Name">Run name; null for none.</param>
/// <param name="Tags">Tags to store (the host adds <c>serve</c>).</param>
/// <param name="ParentId">The run it was derived from (re-run, remedy); null for none.</param>
/// <param name="Paused">Start paused (the playground's "step" button), waiting for <see cref="RunControl.Resume"/> or <see cref="RunControl.Step"/>.</param>
public sealed record HostedRunOptions(string? Name = null, IReadOnlyList<string>? Tags = null, string? ParentId = null, bool Paused = false);

/// <summary>A command for a hosted run.</summary>
public enum RunControl
{
    /// <summary>End the run now; it is stored as interrupted.</summary>
    Stop,

    /// <summary>Hold it after the current step.</summary>
    Pause,

    /// <summary>Let a paused run go on.</summary>
    Resume,

    /// <summary>Train exactly one more step of a paused run, then hold again.</summary>
    Step,
}

/// <summary>What a control command did.</summary>
public enum ControlOutcome
{
    /// <summary>Done.</summary>
    Applied,

    /// <summary>This host did not start the run (it may be another process's: it cannot be steered from here).</summary>
    NotHosted,

    /// <summary>The run has already ended.</summary>
    Ended,
}

/// <summary>The live state of a hosted run.</summary>
/// <param name="RunId">Its id.</param>
/// <param name="Status">running, paused, or the stored final status once ended.</param>
/// <param name="Step">Training steps done.</param>
/// <param name="TotalSteps">The budget in steps.</param>
public sealed record HostedRunState(string RunId, string Status, long Step, long TotalSteps);

/// <summary>The host is running as many runs as it may.</summary>
public sealed class RunHostFullException(int capacity)
    : Exception($"{capacity} runs started by this server are already training; wait for one to end or stop one.")
{
    /// <summary>The host's capacity.</summary>
    public int Capacity { get; } = capacity;
}

/// <summary>
/// Predicted class probabilities on a <c>Grid</c> x <c>Grid</c> lattice over the data's bounding box
/// (10% margin): <c>Probabilities[row * Grid + column][class]</c>, rows from <c>YMin</c> up; with
/// up to 500 of the training points (<c>Points[i]</c> = (x, y), unstandardized) and their labels.
/// <c>Step</c> is the number of steps the model had trained.
/// </summary>
public sealed record DecisionBoundary(
    int Grid, double XMin, double XMax, double YMin, double YMax, int Classes, long Step,
    IReadOnlyList<double[]> Probabilities, IReadOnlyList<double[]> Points, IReadOnlyList<int> Labels);

/// <summary>
/// The input grid's image after each layer, projected on that layer's first two principal
/// directions: <c>Layers[k].Points[i]</c> = (x, y) of grid point i after layer k+1;
/// <c>Spread</c> is the layer's total variance relative to the (standardized) input grid's. The
/// layers are the network's hidden activations and residual blocks, input to output.
/// </summary>
public sealed record SquashingView(int Grid, long Step, IReadOnlyList<SquashedLayer> Layers);

/// <summary>One layer of a <see cref="SquashingView"/>.</summary>
public sealed record SquashedLayer(int Layer, string Name, string Activation, double Spread, IReadOnlyList<double[]> Points);

/// <summary>
/// Output movement when one layer's weights W get Gaussian noise of norm epsilon ||W|| (seeded,
/// averaged over 3 draws): the RMS change of the logits over a 24 x 24 grid divided by epsilon, for
/// the chosen layer and, for comparison, every layer (<c>ByLayer[k - 1]</c> for layer k).
/// </summary>
public sealed record LayerSensitivity(int Layer, double Epsilon, double OutputChange, IReadOnlyList<double> ByLayer);
