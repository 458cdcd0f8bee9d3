using Gradscope.Tensors;

namespace Gradscope.Recurrent;

public sealed partial class Gru<T>
{
    private protected override void StepBackward(int t, Matrix<T> x, Matrix<T> hPrevious, Matrix<T> gradHidden, Matrix<T>? gradInput, Matrix<T> gradHiddenPrevious)
    {
        var gates = _gates[t];
        var candidate = _hiddenCandidate[t];
        for (int r = 0; r < gates.Rows; r++)
        {
            StepBackwardRow(gates.Row(r), candidate.Row(r), hPrevious.Row(r), gradHidden.Row(r),
                _gradInputGates.Row(r), _gradHiddenGates.Row(r), gradHiddenPrevious.Row(r));
        }

        AccumulateWeightGradients(_gradInputGates, _gradHiddenGates, x, hPrevious);

        // dL/dx_t = dL/dgi W_ih;  dL/dh_{t-1} = (direct z path, written above) + dL/dgh W_hh
        if (gradInput is not null)
            Gemm.Multiply(_gradInputGates, WeightIh.Value, gradInput);
        Gemm.Multiply(_gradHiddenGates, WeightHh.Value, gradHiddenPrevious, accumulate: true);
    }

    // One batch row: fills dL/dgi and dL/dgh and writes the direct part of dL/dh_{t-1}.
    private void StepBackwardRow(ReadOnlySpan<T> gates, ReadOnlySpan<T> hn, ReadOnlySpan<T> hPrevious, ReadOnlySpan<T> dh, Span<T> dgi, Span<T> dgh, Span<T> dhPrevious)
    {
        int size = HiddenSize;
        for (int j = 0; j < size; j++)
        {
            T r = gates[j], z = gates[size + j], n = gates[(2 * size) + j];

            // h = (1 - z) n + z h_prev:  dL/dn = dh (1 - z);  dL/dz = dh (h_prev - n);  dL/dh_prev += dh z
            T dn = dh[j] * (T.One - z);
            T dz = dh[j] * (hPrevious[j] - n);
            dhPrevious[j] = dh[j] * z;

            // n = tanh(gi_n + r gh_n):  dL/da_n = dn (1 - n^2); dgi_n = da_n; dgh_n = da_n r; dL/dr = da_n gh_n
            T dan = dn * (T.One - (n * n));
            T dr = dan * hn[j];

            // r, z = sigmoid(gi + gh): the same pre-activation gradient goes to both products.
            T dar = dr * r * (T.One - r);
            T daz = dz * z * (T.One - z);
            dgi[j] = dar;
            dgh[j] = dar;
            dgi[size + j] = daz;
            dgh[size + j] = daz;
            dgi[(2 * size) + j] = dan;
            dgh[(2 * size) + j] = dan * r;
        }
    }
}
