using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Data.Sequences;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>
/// Elman's recurrent network as PyTorch's <c>nn.RNN</c>:
/// <c>h_t = phi(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)</c>, phi tanh or ReLU. Backward through
/// time multiplies dL/dh by <c>diag(phi'(a_t)) W_hh</c> once per step, the product whose norm
/// Pascanu, Mikolov and Bengio (2013) bound by <c>(gamma lambda_1)^k</c>.
/// </summary>
public sealed class SimpleRnn<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StepActivation<T> _activation;
    private readonly Sequence<T> _preActivation; // a_t per step, [batch, H]
    private readonly Matrix<T> _gradPre;          // dL/da_t, reused every step

    /// <summary>Creates a zero-weight RNN; call <see cref="RecurrentLayer{T}.Initialize"/> to fill it.</summary>
    /// <param name="inputSize">Features per step.</param>
    /// <param name="hiddenSize">Hidden units.</param>
    /// <param name="nonlinearity"><c>tanh</c> (default) or <c>relu</c>.</param>
    /// <exception cref="GradscopeException">The nonlinearity is neither tanh nor relu.</exception>
    public SimpleRnn(int inputSize, int hiddenSize, string nonlinearity = "tanh")
        : base(inputSize, hiddenSize, gates: 1)
    {
        _activation = StepActivation<T>.Create(nonlinearity);
        _preActivation = new Sequence<T>(hiddenSize);
        _gradPre = new Matrix<T>(0, hiddenSize);
    }

    /// <inheritdoc/>
    public override string Kind => "rnn-" + _activation.Activation.Name;

    /// <summary>The nonlinearity's name.</summary>
    public string Nonlinearity => _activation.Activation.Name;

    /// <inheritdoc/>
    public override double MaxRecurrentDerivative => _activation.Activation.MaxDerivative;

    private protected override void PrepareCaches(int batch, int length)
    {
        _preActivation.Resize(batch, length);
        _gradPre.Resize(batch);
    }

    private protected override void StepForward(int t, Matrix<T> x, Matrix<T> hPrevious, Matrix<T> h)
    {
        // a_t = x_t W_ih^T + h_{t-1} W_hh^T + b_ih + b_hh;  h_t = phi(a_t)
        var a = _preActivation[t];
        Gemm.MultiplyTransposeB(x, WeightIh.Value, a);
        Gemm.MultiplyTransposeB(hPrevious, WeightHh.Value, a, accumulate: true);
        ReadOnlySpan<T> bih = BiasIh.Value.Span, bhh = BiasHh.Value.Span;
        for (int r = 0; r < a.Rows; r++)
        {
            Span<T> row = a.Row(r);
            TensorPrimitives.Add(row, bih, row);
            TensorPrimitives.Add(row, bhh, row);
        }

        _activation.Forward(a.Span, h.Span);
    }

    private protected override void StepBackward(int t, Matrix<T> x, Matrix<T> hPrevious, Matrix<T> gradHidden, Matrix<T>? gradInput, Matrix<T> gradHiddenPrevious)
    {
        // dL/da_t = dL/dh_t * phi'(a_t)
        _activation.Backprop(_preActivation[t].Span, Hidden[t].Span, gradHidden.Span, _gradPre.Span);

        // a_t is linear in W_ih, W_hh, b_ih, b_hh with the same dL/da for both halves.
        AccumulateWeightGradients(_gradPre, _gradPre, x, hPrevious);

        // dL/dx_t = dL/da_t W_ih;  dL/dh_{t-1} (through this step) = dL/da_t W_hh
        if (gradInput is not null)
            Gemm.Multiply(_gradPre, WeightIh.Value, gradInput);
        Gemm.Multiply(_gradPre, WeightHh.Value, gradHiddenPrevious);
    }
}
