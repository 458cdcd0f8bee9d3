namespace Gradscope.Diagnostics;

/// <summary>
/// One layer a <see cref="GradientMonitor{T}"/> watches, in trace order: recurrent layers first
/// (they read the input), then the dense layers along the main path.
/// </summary>
/// <param name="Layer">Its identity: number from 1 and module path.</param>
/// <param name="Kind"><c>dense</c>, <c>rnn</c>, <c>lstm</c> or <c>gru</c>.</param>
/// <param name="Activation">The activation its output goes through (<c>identity</c> for the head; a recurrent layer's hidden nonlinearity).</param>
/// <param name="Inputs">Fan-in (features per step for a recurrent layer).</param>
/// <param name="Units">Fan-out (hidden units for a recurrent layer).</param>
public sealed record WatchedLayer(LayerRef Layer, string Kind, string Activation, int Inputs, int Units);
