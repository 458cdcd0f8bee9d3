namespace Gradscope.Tests.Serialization.Torch;

/// <summary>
/// The oracle: the loss (mean softmax cross-entropy) of a <see cref="TorchModel"/> over a batch and
/// the gradient of every trainable tensor, in float64 with plain loops, written from the
/// definitions and sharing no code with the engine. Normalization backward passes go through the
/// full Jacobian of the normalized values (O(N^2) per feature) rather than the engine's closed form.
/// </summary>
internal static class TorchReference
{
    private const double Epsilon = 1e-5; // PyTorch's default eps for BatchNorm1d and LayerNorm

    /// <summary>Loss and gradients by tensor name; <paramref name="train"/> is model.train() (batch statistics) or model.eval() (running ones).</summary>
    public static (double Loss, Dictionary<string, double[]> Gradients) Run(TorchModel model, double[][] x, int[] labels, bool train)
    {
        var inputs = new List<double[][]>();
        var h = x;
        foreach (var module in model.Modules)
        {
            inputs.Add(h);
            h = Forward(module, h, train);
        }

        var (loss, dy) = CrossEntropy(h, labels);
        var gradients = new Dictionary<string, double[]>();
        for (int m = model.Modules.Count - 1; m >= 0; m--)
            dy = Backward(model.Modules[m], inputs[m], dy, train, gradients);
        return (loss, gradients);
    }

    private static double[][] Forward(TorchModule module, double[][] x, bool train)
    {
        int n = x.Length;
        var y = new double[n][];
        for (int r = 0; r < n; r++)
        {
            y[r] = module.Kind switch
            {
                TorchKind.Linear => LinearRow(module, x[r]),
                TorchKind.Relu => Array.ConvertAll(x[r], v => Math.Max(v, 0)),
                TorchKind.Tanh => Array.ConvertAll(x[r], Math.Tanh),
                TorchKind.Identity => (double[])x[r].Clone(),
                _ => new double[x[r].Length],
            };
        }

        if (module.Kind is TorchKind.BatchNorm or TorchKind.LayerNorm)
        {
            var (xhat, _) = Normalize(module, x, train);
            var gamma = module.Tensors["weight"].Values;
            var beta = module.Tensors["bias"].Values;
            for (int r = 0; r < n; r++)
            {
                for (int j = 0; j < gamma.Length; j++)
                    y[r][j] = (gamma[j] * xhat[r][j]) + beta[j];
            }
        }

        return y;
    }

    private static double[] LinearRow(TorchModule module, double[] x)
    {
        var w = module.Tensors["weight"].Values;
        var y = new double[module.Outputs];
        for (int o = 0; o < module.Outputs; o++)
        {
            y[o] = module.Tensors.TryGetValue("bias", out var b) ? b.Values[o] : 0;
            for (int i = 0; i < module.Inputs; i++)
                y[o] += w[(o * module.Inputs) + i] * x[i];
        }

        return y;
    }

    // xhat and s = 1 / sqrt(var + eps): per feature over the batch (batch norm) or per row over the features (layer norm).
    private static (double[][] Xhat, double[][] InvStd) Normalize(TorchModule module, double[][] x, bool train)
    {
        int n = x.Length, f = x[0].Length;
        var xhat = new double[n][];
        var invStd = new double[n][];
        for (int r = 0; r < n; r++)
            (xhat[r], invStd[r]) = (new double[f], new double[f]);
        bool perRow = module.Kind == TorchKind.LayerNorm;
        int groups = perRow ? n : f, members = perRow ? f : n;
        for (int g = 0; g < groups; g++)
        {
            double At(int k) => perRow ? x[g][k] : x[k][g];
            double mean = 0, variance = 0;
            for (int k = 0; k < members; k++)
                mean += At(k) / members;
            for (int k = 0; k < members; k++)
                variance += (At(k) - mean) * (At(k) - mean) / members; // biased, as PyTorch normalizes
            if (!perRow && !train)
                (mean, variance) = (module.Tensors["running_mean"].Values[g], module.Tensors["running_var"].Values[g]);
            double s = 1 / Math.Sqrt(variance + Epsilon);
            for (int k = 0; k < members; k++)
            {
                int r = perRow ? g : k, j = perRow ? k : g;
                xhat[r][j] = (At(k) - mean) * s;
                invStd[r][j] = s;
            }
        }

        return (xhat, invStd);
    }

    private static (double Loss, double[][] Grad) CrossEntropy(double[][] logits, int[] labels)
    {
        int n = logits.Length;
        double loss = 0;
        var grad = new double[n][];
        for (int r = 0; r < n; r++)
        {
            double max = logits[r].Max();
            double sum = logits[r].Sum(z => Math.Exp(z - max));
            loss -= (logits[r][labels[r]] - max - Math.Log(sum)) / n;
            grad[r] = new double[logits[r].Length];
            for (int k = 0; k < grad[r].Length; k++)
                grad[r][k] = ((Math.Exp(logits[r][k] - max) / sum) - (k == labels[r] ? 1 : 0)) / n;
        }

        return (loss, grad);
    }

    private static double[][] Backward(TorchModule module, double[][] x, double[][] dy, bool train, Dictionary<string, double[]> gradients)
    {
        int n = x.Length;
        var dx = new double[n][];
        for (int r = 0; r < n; r++)
            dx[r] = new double[x[r].Length];
        switch (module.Kind)
        {
            case TorchKind.Linear:
                LinearBackward(module, x, dy, dx, gradients);
                break;
            case TorchKind.BatchNorm or TorchKind.LayerNorm:
                NormBackward(module, x, dy, dx, train, gradients);
                break;
            default:
                for (int r = 0; r < n; r++)
                {
                    for (int j = 0; j < x[r].Length; j++)
                    {
                        double local = module.Kind switch
                        {
                            TorchKind.Relu => x[r][j] > 0 ? 1 : 0,
                            TorchKind.Tanh => 1 - (Math.Tanh(x[r][j]) * Math.Tanh(x[r][j])),
                            _ => 1,
                        };
                        dx[r][j] = dy[r][j] * local;
                    }
                }

                break;
        }

        return dx;
    }

    private static void LinearBackward(TorchModule module, double[][] x, double[][] dy, double[][] dx, Dictionary<string, double[]> gradients)
    {
        var w = module.Tensors["weight"].Values;
        var dw = new double[w.Length];
        var db = new double[module.Outputs];
        for (int r = 0; r < x.Length; r++)
        {
            for (int o = 0; o < module.Outputs; o++)
            {
                db[o] += dy[r][o];
                for (int i = 0; i < module.Inputs; i++)
                {
                    dw[(o * module.Inputs) + i] += dy[r][o] * x[r][i];
                    dx[r][i] += w[(o * module.Inputs) + i] * dy[r][o];
                }
            }
        }

        gradients[module.Path + ".weight"] = dw;
        if (module.Tensors.ContainsKey("bias"))
            gradients[module.Path + ".bias"] = db;
    }

    // y_kj = gamma_j xhat_kj + beta_j. With batch statistics, d xhat_kj / d x_ij = s_j (delta_ki - 1/N - xhat_kj xhat_ij / N)
    // (per feature j over rows); with running ones it is s_j delta_ki; layer norm is the same per row over features.
    private static void NormBackward(TorchModule module, double[][] x, double[][] dy, double[][] dx, bool train, Dictionary<string, double[]> gradients)
    {
        var (xhat, invStd) = Normalize(module, x, train);
        var gamma = module.Tensors["weight"].Values;
        int n = x.Length, f = gamma.Length;
        var dgamma = new double[f];
        var dbeta = new double[f];
        bool perRow = module.Kind == TorchKind.LayerNorm;
        bool batchStatistics = perRow || train;
        int members = perRow ? f : n;
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < f; j++)
            {
                dgamma[j] += dy[r][j] * xhat[r][j];
                dbeta[j] += dy[r][j];

                // dx_rj = sum over every output (k, c) that x_rj reaches of dy_kc gamma_c d xhat_kc / d x_rj.
                for (int m = 0; m < members; m++)
                {
                    int k = perRow ? r : m, c = perRow ? m : j;
                    double same = (k == r && c == j) ? 1 : 0;
                    double jacobian = batchStatistics
                        ? invStd[k][c] * (same - (1.0 / members) - (xhat[k][c] * xhat[r][j] / members))
                        : invStd[k][c] * same;
                    dx[r][j] += dy[k][c] * gamma[c] * jacobian;
                }
            }
        }

        gradients[module.Path + ".weight"] = dgamma;
        gradients[module.Path + ".bias"] = dbeta;
    }
}
