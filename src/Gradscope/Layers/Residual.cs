using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// A residual block (He et al. 2016), <c>y = F(x) + x</c>, or <c>y = F(x) + P x</c> with a learned
/// projection P (a <see cref="Dense{T}"/>, no activation) when F changes the width. The identity
/// path carries the gradient past F unchanged: <c>dL/dx = dF/dx^T dL/dy + dL/dy</c>, which is why
/// deep residual networks do not vanish. Whether the block is post-activation (an activation after
/// the sum, He et al. 2016a) or pre-activation (normalization and activation first inside F, "Identity
/// mappings", He et al. 2016b) is a matter of what F holds and what follows the block.
/// </summary>
/// <remarks>
/// State-dict names are those of a PyTorch module holding <c>self.body = nn.Sequential(...)</c> and
/// then <c>self.proj = nn.Linear(...)</c> (or None), whose forward returns
/// <c>self.body(x) + (self.proj(x) if self.proj is not None else x)</c>: as entry 3 of a network,
/// <c>3.body.0.weight</c>, <c>3.body.0.bias</c>, ..., <c>3.proj.weight</c>, <c>3.proj.bias</c>.
/// </remarks>
public sealed class Residual<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>State-dict name of the block's F.</summary>
    public const string BodyName = "body";

    /// <summary>State-dict name of the block's projection.</summary>
    public const string ProjectionName = "proj";

    private readonly Parameter<T>[] _parameters;

    /// <summary>
    /// Creates <c>F(x) + x</c> with F = <paramref name="body"/>, or <c>F(x) + P x</c> with P =
    /// <paramref name="projection"/>, which must map F's input width to its output width.
    /// </summary>
    /// <exception cref="GradscopeException">The widths do not fit together.</exception>
    public Residual(Sequential<T> body, Dense<T>? projection = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (projection is null && body.InputSize != body.OutputSize)
        {
            throw new GradscopeException(
                $"A residual block whose body maps {body.InputSize} features to {body.OutputSize} needs a projection on its skip path.");
        }

        if (projection is not null && (projection.InputSize != body.InputSize || projection.OutputSize != body.OutputSize))
        {
            throw new GradscopeException(
                $"A residual block's projection must map {body.InputSize} features to {body.OutputSize} like its body; it maps {projection.InputSize} to {projection.OutputSize}.");
        }

        Body = body;
        Projection = projection;
        _parameters = projection is null ? [.. body.Parameters] : [.. body.Parameters, .. projection.Parameters];
        Output = new Matrix<T>(0, body.OutputSize);
        GradInput = new Matrix<T>(0, body.InputSize);
    }

    /// <inheritdoc/>
    public string Kind => "residual";

    /// <inheritdoc/>
    public int InputSize => Body.InputSize;

    /// <inheritdoc/>
    public int OutputSize => Body.OutputSize;

    /// <summary>F, the residual branch.</summary>
    public Sequential<T> Body { get; }

    /// <summary>P, the skip path's projection, or null for the identity.</summary>
    public Dense<T>? Projection { get; }

    /// <summary>The body's parameters, then the projection's (state-dict order).</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>Tap: the output of the last forward pass, <c>[batch, out]</c>.</summary>
    public Matrix<T> Output { get; }

    /// <summary>dLoss/dInput of the last backward pass, <c>[batch, in]</c>.</summary>
    public Matrix<T> GradInput { get; }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        // [B, in] -> [B, out]: y = F(x) + (P x or x).
        LayerChecks.Columns(this, input, InputSize, "input");
        var body = Body.Forward(input, training);
        var skip = Projection is null ? input : Projection.Forward(input, training);
        Output.Resize(input.Rows);
        TensorPrimitives.Add(body.Span, skip.Span, Output.Span);
        return Output;
    }

    /// <inheritdoc/>
    public Matrix<T> Backward(Matrix<T> gradOutput)
    {
        // [B, out] -> [B, in]: dL/dx = dF/dx^T dy + (P^T dy or dy).
        LayerChecks.SameShape(this, gradOutput, Output, "gradOutput");
        var throughBody = Body.Backward(gradOutput);
        var throughSkip = Projection is null ? gradOutput : Projection.Backward(gradOutput);
        GradInput.Resize(gradOutput.Rows);
        TensorPrimitives.Add(throughBody.Span, throughSkip.Span, GradInput.Span);
        return GradInput;
    }
}
