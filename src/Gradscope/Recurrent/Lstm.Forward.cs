using System.Numerics.Tensors;
using Gradscope.Activations;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

public sealed partial class Lstm<T>
{
    private protected override void StepForward(int t, Matrix<T> x, Matrix<T> hPrevious, Matrix<T> h)
    {
        // [a_i a_f a_g a_o] = x_t W_ih^T + h_{t-1} W_hh^T + b_ih + b_hh    [batch, 4H]
        var gates = _gates[t];
        Gemm.MultiplyTransposeB(x, WeightIh.Value, gates);
        Gemm.MultiplyTransposeB(hPrevious, WeightHh.Value, gates, accumulate: true);
        ReadOnlySpan<T> bih = BiasIh.Value.Span, bhh = BiasHh.Value.Span;
        var cPrevious = t == 0 ? _zeroCell : _cell[t - 1];
        var c = _cell[t];
        var tanhC = _tanhCell[t];
        int n = HiddenSize;
        for (int r = 0; r < gates.Rows; r++)
        {
            Span<T> row = gates.Row(r);
            TensorPrimitives.Add(row, bih, row);
            TensorPrimitives.Add(row, bhh, row);

            // i, f = sigmoid (adjacent blocks); g = tanh; o = sigmoid. Activated in place.
            Span<T> inputForget = row[..(2 * n)];
            Span<T> g = row.Slice(2 * n, n);
            Span<T> o = row.Slice(3 * n, n);
            Sigmoid.Forward<T>(inputForget, inputForget);
            Tanh.Forward<T>(g, g);
            Sigmoid.Forward<T>(o, o);

            // c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)
            Span<T> cRow = c.Row(r), tanhRow = tanhC.Row(r);
            TensorPrimitives.Multiply(row.Slice(n, n), cPrevious.Row(r), cRow);
            TensorPrimitives.MultiplyAdd(row[..n], g, cRow, cRow);
            Tanh.Forward<T>(cRow, tanhRow);
            TensorPrimitives.Multiply(o, tanhRow, h.Row(r));
        }
    }
}
