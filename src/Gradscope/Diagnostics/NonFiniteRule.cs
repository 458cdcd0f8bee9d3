namespace Gradscope.Diagnostics;

/// <summary>Where and when the first NaN or infinity appeared, and what usually causes it.</summary>
internal sealed class NonFiniteRule : IDiagnosisRule
{
    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        if (context.Trace.FirstNonFinite is not { } first)
            yield break;
        var layer = LayerRef.At(context.Trace.LayerNames, first.Layer);
        // first.Step is the recorded index (it reads the loss); the user counts training steps, which
        // differ when only every k-th step was recorded.
        int step = context.Trace.StepNumber(first.Step);
        var evidence = new Dictionary<string, double>
        {
            ["step"] = step,
            ["layer"] = layer.Number,
            ["loss_at_step"] = context.Trace.Loss(first.Step),
        };
        string cause = first.Where switch
        {
            "activation" => $"A NaN or infinity first appeared at step {step} in the activation of {layer}. " +
                "Values entering that layer were already finite, so its weights or bias held a non-finite value or overflowed: usually exploding updates from a too-large learning rate.",
            "loss" => $"A NaN or infinity first appeared at step {step} in the loss, after {layer}. " +
                "Every layer's output was finite, so the loss itself overflowed on outputs grown too large: usually exploding updates from a too-large learning rate.",
            _ => $"A NaN or infinity first appeared at step {step} in the gradient of {layer}. " +
                "The forward pass was finite, so the backward pass overflowed: gradients exploded.",
        };
        yield return new Finding(FindingKind.NonFinite, Severity.Error, [first.Layer], evidence, new Dictionary<string, double>(), cause,
            RemedyChoice.NonFinite(context.Network));
    }
}
