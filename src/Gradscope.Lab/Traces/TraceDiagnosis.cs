using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Traces;

/// <summary>
/// The diagnosis of a recorded run, from its trace alone: the same rules, thresholds and evidence as
/// a diagnosis while training. A run Gradscope trained brings its run description, so the rules see
/// exactly the network and initializer it had (and the mean-field prediction); any other trace (the
/// PyTorch hook's) is described by its layer list: each layer's activation, and the initializer its
/// init statistics match (<see cref="InitMatch"/>).
/// </summary>
public static class TraceDiagnosis
{
    /// <summary>Fewer recorded steps than this leave the early and late windows one or two steps wide; the diagnosis says so.</summary>
    public const int ShortTraceSteps = 10;

    /// <summary>What the rules look at for <paramref name="run"/>, with the initialization judged from its trace when it has no description.</summary>
    public static (DiagnosisContext Context, InitMatch Init) ContextFor(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var trace = run.Trace;
        if (run.Spec is { } spec && trace.LayerCount > 0)
        {
            var context = MonitoredRun.Context(trace, spec);
            return (context, new InitMatch(spec.Init, context.Initializer, double.NaN));
        }

        var layers = LayersOf(run);
        var withoutInit = NetworkFacts.FromLayers(Facts(layers), null) with { ActivationsUnknown = HasUnknownActivation(layers) };
        var init = InitMatch.Judge(layers, withoutInit.MainActivation);
        var facts = withoutInit.WithInitializer(init.Initializer);
        return (new DiagnosisContext(trace, facts, DiagnosisThresholds.Default) { Initializer = init.Label }, init);
    }

    /// <summary>The findings for <paramref name="run"/>.</summary>
    public static DiagnosisReport Run(RunRecord run) => Diagnosis.Run(ContextFor(run).Context);

    /// <summary>
    /// <paramref name="run"/> with findings to show: its own finding lines when it has any, else the
    /// diagnosis of its trace (a trace the PyTorch hook wrote carries none). A trace with no steps or
    /// no layers has nothing to diagnose and is returned as it is.
    /// </summary>
    public static RunRecord WithFindings(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Findings.Count > 0 || run.Trace.StepCount == 0 || run.Trace.LayerCount == 0)
            return run;
        return run with { Findings = Run(run).Findings };
    }

    /// <summary>The run's layers in trace order: the header's list, or what the trace alone says.</summary>
    public static IReadOnlyList<RecordedLayer> LayersOf(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Layers.Count == run.Trace.LayerCount ? run.Layers : RecordedLayers.From(run.Trace);
    }

    /// <summary>
    /// The activation that consumes each layer's output: its recorded activation, none for the head
    /// (identity) or where the trace cannot tell (<c>unknown</c>: applied as a function), and the
    /// cell's tanh for a recurrent layer, as for Gradscope's own recurrent layers.
    /// </summary>
    public static DenseFacts[] Facts(IReadOnlyList<RecordedLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var facts = new DenseFacts[layers.Count];
        for (int l = 0; l < layers.Count; l++)
            facts[l] = new DenseFacts(ActivationOf(layers[l]), false, false);
        return facts;
    }

    /// <summary>The activation after <paramref name="layer"/> as the rules see it, or null (none, or unknown).</summary>
    public static Activation? ActivationOf(RecordedLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (IsRecurrent(layer.Kind))
            return Activation.Parse("tanh");
        if (layer.Activation is "identity" or "unknown")
            return null;
        return Activation.TryParse(layer.Activation, out var activation) ? activation : null;
    }

    // A hidden layer whose activation the trace could not see (a function in forward()).
    private static bool HasUnknownActivation(IReadOnlyList<RecordedLayer> layers)
    {
        for (int l = 0; l < layers.Count - 1; l++)
        {
            if (layers[l].Activation == "unknown" && !IsRecurrent(layers[l].Kind))
                return true;
        }

        return false;
    }

    /// <summary>True for <c>lstm</c>, <c>gru</c> and <c>rnn</c> layers.</summary>
    public static bool IsRecurrent(string kind) => kind is "lstm" or "gru" or "rnn";
}
