using Gradscope.Tensors;

namespace Gradscope.Recurrent;

public sealed partial class Lstm<T>
{
    private protected override void StepBackward(int t, Matrix<T> x, Matrix<T> hPrevious, Matrix<T> gradHidden, Matrix<T>? gradInput, Matrix<T> gradHiddenPrevious)
    {
        var gates = _gates[t];
        var cPrevious = t == 0 ? _zeroCell : _cell[t - 1];
        var tanhC = _tanhCell[t];
        for (int r = 0; r < gates.Rows; r++)
            StepBackwardRow(gates.Row(r), cPrevious.Row(r), tanhC.Row(r), gradHidden.Row(r), _gradCell.Row(r), _gradGates.Row(r));

        // The four pre-activations are linear in W_ih, W_hh, b_ih, b_hh with the same dL/da.
        AccumulateWeightGradients(_gradGates, _gradGates, x, hPrevious);

        // dL/dx_t = dL/da W_ih;  dL/dh_{t-1} (through the gates) = dL/da W_hh
        if (gradInput is not null)
            Gemm.Multiply(_gradGates, WeightIh.Value, gradInput);
        Gemm.Multiply(_gradGates, WeightHh.Value, gradHiddenPrevious);
    }

    // One batch row. gradCell holds dL/dc_t from step t+1 on entry and dL/dc_{t-1} on exit.
    private void StepBackwardRow(ReadOnlySpan<T> gates, ReadOnlySpan<T> cPrevious, ReadOnlySpan<T> tanhC, ReadOnlySpan<T> dh, Span<T> gradCell, Span<T> da)
    {
        int n = HiddenSize;
        for (int j = 0; j < n; j++)
        {
            T i = gates[j], f = gates[n + j], g = gates[(2 * n) + j], o = gates[(3 * n) + j];
            T tc = tanhC[j];

            // h = o * tanh(c):  dL/do = dh * tanh(c);  dL/dc += dh * o * (1 - tanh(c)^2)
            T dO = dh[j] * tc;
            T dc = gradCell[j] + (dh[j] * o * (T.One - (tc * tc)));

            // c = f * c_prev + i * g:  dL/di = dc g;  dL/df = dc c_prev;  dL/dg = dc i;  dL/dc_prev = dc f
            T dI = dc * g, dF = dc * cPrevious[j], dG = dc * i;
            gradCell[j] = dc * f;

            // Through the gate nonlinearities: sigmoid' = s (1 - s), tanh' = 1 - g^2.
            da[j] = dI * i * (T.One - i);
            da[n + j] = dF * f * (T.One - f);
            da[(2 * n) + j] = dG * (T.One - (g * g));
            da[(3 * n) + j] = dO * o * (T.One - o);
        }
    }
}
