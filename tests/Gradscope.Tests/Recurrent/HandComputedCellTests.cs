using Gradscope.Data.Sequences;
using Gradscope.Recurrent;

namespace Gradscope.Tests.Recurrent;

/// <summary>
/// One unit, one input feature, batch 1, two steps (x_1 = 0.5, x_2 = -1), loss L = h_2, so
/// dL/dh_2 = 1 and dL/dh_1 comes only through time. Every value below is written out as scalar
/// algebra from the cell's published equations (PyTorch's nn.LSTM and nn.GRU documentation),
/// independently of the layer's vectorized code, and compared to the layer to 1e-12.
/// </summary>
public sealed class HandComputedCellTests
{
    private const double X1 = 0.5, X2 = -1.0;

    // Per gate k (LSTM: i, f, g, o; GRU: r, z, n): input weight w, recurrent weight u, biases b, c.
    private static readonly double[] W4 = [0.3, -0.2, 0.6, 0.1], U4 = [-0.4, 0.5, 0.2, -0.3];
    private static readonly double[] B4 = [0.1, 0.2, -0.1, 0.05], C4 = [0.0, 0.1, 0.0, -0.05];
    private static readonly double[] W3 = [0.4, -0.3, 0.7], U3 = [0.2, -0.5, 0.6];
    private static readonly double[] B3 = [0.1, -0.2, 0.05], C3 = [-0.1, 0.3, 0.2];

    private static double S(double a) => 1 / (1 + Math.Exp(-a));

    [Fact]
    public void Lstm_TwoSteps_MatchesHandDerivation()
    {
        // Forward. a_k = w_k x_t + u_k h_{t-1} + b_k + c_k;  i, f, o = S(a), g = tanh(a)
        // c_t = f c_{t-1} + i g;  h_t = o tanh(c_t);  h_0 = c_0 = 0.
        double[] a1 = Pre(W4, U4, B4, C4, X1, 0);
        double i1 = S(a1[0]), f1 = S(a1[1]), g1 = Math.Tanh(a1[2]), o1 = S(a1[3]);
        double c1 = (f1 * 0) + (i1 * g1), h1 = o1 * Math.Tanh(c1);
        double[] a2 = Pre(W4, U4, B4, C4, X2, h1);
        double i2 = S(a2[0]), f2 = S(a2[1]), g2 = Math.Tanh(a2[2]), o2 = S(a2[3]);
        double c2 = (f2 * c1) + (i2 * g2), h2 = o2 * Math.Tanh(c2);

        // Backward from dL/dh_2 = 1.
        // h_2 = o_2 tanh(c_2):  dL/do_2 = tanh(c_2);  dL/dc_2 = o_2 (1 - tanh^2 c_2)
        double dc2 = o2 * (1 - (Math.Tanh(c2) * Math.Tanh(c2)));
        // c_2 = f_2 c_1 + i_2 g_2, then through S' = s(1 - s) and tanh' = 1 - g^2:
        double[] da2 =
        [
            dc2 * g2 * i2 * (1 - i2),
            dc2 * c1 * f2 * (1 - f2),
            dc2 * i2 * (1 - (g2 * g2)),
            Math.Tanh(c2) * o2 * (1 - o2),
        ];
        // h_1 reaches L only through a_2: dL/dh_1 = sum_k da2_k u_k. c_1 reaches it through h_1 and c_2.
        double dh1 = Dot(da2, U4);
        double dc1 = (dc2 * f2) + (dh1 * o1 * (1 - (Math.Tanh(c1) * Math.Tanh(c1))));
        double[] da1 =
        [
            dc1 * g1 * i1 * (1 - i1),
            dc1 * 0 * f1 * (1 - f1), // c_0 = 0: the first forget gate gets no gradient
            dc1 * i1 * (1 - (g1 * g1)),
            dh1 * Math.Tanh(c1) * o1 * (1 - o1),
        ];

        var lstm = new Lstm<double>(1, 1);
        var hidden = Run(lstm, W4, U4, B4, C4, out var gradInput);
        Assert.Equal(h1, hidden[0][0, 0], 12);
        Assert.Equal(h2, hidden[1][0, 0], 12);
        Assert.Equal(c2, lstm.Cell[1][0, 0], 12);
        AssertGradients(lstm, da1, da2, h1, gradInput, W4);
        // The state at step 1 is (h_1, c_1): its gradient norm takes the cell's carried dL/dc_1 = dc2 f2 beside dL/dh_1.
        Assert.Equal(Math.Sqrt((dh1 * dh1) + (dc2 * f2 * dc2 * f2)), lstm.HiddenGradNorms[0], 12);
        Assert.Equal(1.0, lstm.HiddenGradNorms[1], 12);
    }

    [Fact]
    public void Gru_TwoSteps_MatchesHandDerivation()
    {
        // Forward. r = S(w_r x + b_r + u_r h + c_r); z likewise;
        // n = tanh(w_n x + b_n + r (u_n h + c_n));  h_t = (1 - z) n + z h_{t-1};  h_0 = 0.
        var (r1, z1, n1, hn1, h1) = GruStep(X1, 0);
        var (r2, z2, n2, hn2, h2) = GruStep(X2, h1);

        // Backward from dL/dh_2 = 1:  dL/dn = 1 - z;  dL/dz = h_1 - n;  direct dL/dh_1 = z
        double dan2 = (1 - z2) * (1 - (n2 * n2));            // through tanh
        double dar2 = dan2 * hn2 * r2 * (1 - r2);            // dn/dr = (u_n h + c_n), then S'
        double daz2 = (h1 - n2) * z2 * (1 - z2);
        // Input-side pre-activation gradients (w, b) and hidden-side ones (u, c): the n gate's
        // hidden side is scaled by r because r multiplies (u_n h + c_n).
        double[] dgi2 = [dar2, daz2, dan2], dgh2 = [dar2, daz2, dan2 * r2];
        double dh1 = z2 + Dot(dgh2, U3);

        double dan1 = dh1 * (1 - z1) * (1 - (n1 * n1));
        double dar1 = dan1 * hn1 * r1 * (1 - r1);
        double daz1 = dh1 * (0 - n1) * z1 * (1 - z1);
        double[] dgi1 = [dar1, daz1, dan1], dgh1 = [dar1, daz1, dan1 * r1];

        var gru = new Gru<double>(1, 1);
        var hidden = Run(gru, W3, U3, B3, C3, out var gradInput);
        Assert.Equal(h1, hidden[0][0, 0], 12);
        Assert.Equal(h2, hidden[1][0, 0], 12);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal((dgi1[k] * X1) + (dgi2[k] * X2), gru.WeightIh.Grad[k, 0], 12);
            Assert.Equal((dgh1[k] * 0) + (dgh2[k] * h1), gru.WeightHh.Grad[k, 0], 12);
            Assert.Equal(dgi1[k] + dgi2[k], gru.BiasIh.Grad[0, k], 12);
            Assert.Equal(dgh1[k] + dgh2[k], gru.BiasHh.Grad[0, k], 12);
        }

        Assert.Equal(Dot(dgi1, W3), gradInput[0][0, 0], 12);
        Assert.Equal(Dot(dgi2, W3), gradInput[1][0, 0], 12);
    }

    private static (double R, double Z, double N, double Hn, double H) GruStep(double x, double hPrevious)
    {
        double r = S((W3[0] * x) + B3[0] + (U3[0] * hPrevious) + C3[0]);
        double z = S((W3[1] * x) + B3[1] + (U3[1] * hPrevious) + C3[1]);
        double hn = (U3[2] * hPrevious) + C3[2];
        double n = Math.Tanh((W3[2] * x) + B3[2] + (r * hn));
        return (r, z, n, hn, ((1 - z) * n) + (z * hPrevious));
    }

    // For the LSTM every pre-activation takes the same gradient on its input and hidden side.
    private static void AssertGradients(RecurrentLayer<double> cell, double[] da1, double[] da2, double h1, Sequence<double> gradInput, double[] w)
    {
        for (int k = 0; k < da1.Length; k++)
        {
            Assert.Equal((da1[k] * X1) + (da2[k] * X2), cell.WeightIh.Grad[k, 0], 12);
            Assert.Equal(da2[k] * h1, cell.WeightHh.Grad[k, 0], 12); // h_0 = 0
            Assert.Equal(da1[k] + da2[k], cell.BiasIh.Grad[0, k], 12);
            Assert.Equal(da1[k] + da2[k], cell.BiasHh.Grad[0, k], 12);
        }

        Assert.Equal(Dot(da1, w), gradInput[0][0, 0], 12);
        Assert.Equal(Dot(da2, w), gradInput[1][0, 0], 12);
    }

    private static double[] Pre(double[] w, double[] u, double[] b, double[] c, double x, double h)
    {
        var a = new double[w.Length];
        for (int k = 0; k < a.Length; k++)
            a[k] = (w[k] * x) + (u[k] * h) + b[k] + c[k];
        return a;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int k = 0; k < a.Length; k++)
            sum += a[k] * b[k];
        return sum;
    }

    private static Sequence<double> Run(RecurrentLayer<double> cell, double[] w, double[] u, double[] b, double[] c, out Sequence<double> gradInput)
    {
        for (int k = 0; k < w.Length; k++)
        {
            cell.WeightIh.Value[k, 0] = w[k];
            cell.WeightHh.Value[k, 0] = u[k];
            cell.BiasIh.Value[0, k] = b[k];
            cell.BiasHh.Value[0, k] = c[k];
        }

        var input = new Sequence<double>(1, 2, 1);
        input[0][0, 0] = X1;
        input[1][0, 0] = X2;
        var hidden = cell.Forward(input);
        var gradHidden = new Sequence<double>(1, 2, 1);
        gradHidden[1][0, 0] = 1.0; // L = h_2
        gradInput = cell.Backward(gradHidden);
        return hidden;
    }
}
