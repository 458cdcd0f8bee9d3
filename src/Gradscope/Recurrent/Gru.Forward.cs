using System.Numerics.Tensors;
using Gradscope.Activations;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

public sealed partial class Gru<T>
{
    private protected override void StepForward(int t, Matrix<T> x, Matrix<T> hPrevious, Matrix<T> h)
    {
        // gi = x W_ih^T + b_ih;  gh = h_{t-1} W_hh^T + b_hh    (both [batch, 3H], blocks r, z, n)
        Gemm.MultiplyTransposeB(x, WeightIh.Value, _inputGates);
        Gemm.MultiplyTransposeB(hPrevious, WeightHh.Value, _hiddenGates);
        ReadOnlySpan<T> bih = BiasIh.Value.Span, bhh = BiasHh.Value.Span;
        var gates = _gates[t];
        var candidate = _hiddenCandidate[t];
        int n = HiddenSize;
        for (int r = 0; r < gates.Rows; r++)
        {
            Span<T> gi = _inputGates.Row(r), gh = _hiddenGates.Row(r), row = gates.Row(r);
            TensorPrimitives.Add(gi, bih, gi);
            TensorPrimitives.Add(gh, bhh, gh);

            // r, z = sigmoid(gi + gh) on the first two blocks.
            Span<T> resetUpdate = row[..(2 * n)];
            TensorPrimitives.Add(gi[..(2 * n)], gh[..(2 * n)], resetUpdate);
            Sigmoid.Forward<T>(resetUpdate, resetUpdate);

            // n = tanh(gi_n + r * gh_n); gh_n is kept for backward (dL/dr needs it).
            Span<T> hn = candidate.Row(r), cand = row.Slice(2 * n, n);
            gh.Slice(2 * n, n).CopyTo(hn);
            TensorPrimitives.MultiplyAdd(row[..n], hn, gi.Slice(2 * n, n), cand);
            Tanh.Forward<T>(cand, cand);

            // h_t = (1 - z) * n + z * h_{t-1} = n + z * (h_{t-1} - n)
            Span<T> hRow = h.Row(r);
            TensorPrimitives.Subtract(hPrevious.Row(r), cand, hRow);
            TensorPrimitives.MultiplyAdd(row.Slice(n, n), hRow, cand, hRow);
        }
    }
}
