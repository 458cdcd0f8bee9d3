using Gradscope.Training;

namespace Gradscope.Theory;

/// <summary>
/// The memory <see cref="SignalPropagationMeasurement"/> needs for one random network (they are
/// built one seed at a time): its dense layers of width x width in float64 with their gradients
/// and batch buffers, and the Jacobian's work (two n x n matrices when exact, the Lanczos vectors
/// and probes otherwise, and the local derivatives of each input).
/// </summary>
internal static class MeasurementMemory
{
    public static MemoryEstimate Estimate(SignalPropagationConfig config)
    {
        int n = config.Width;
        var hidden = new int[config.Depth - 1];
        Array.Fill(hidden, n);
        var network = MemoryEstimate.For(new NetworkSpec(n, hidden, n, config.Activation), new MemoryShape
        {
            BatchSize = config.BatchSize,
            ElementSize = sizeof(double),
            Optimizer = null,
        });
        bool exact = config.Jacobian == JacobianMethod.Exact || (config.Jacobian == JacobianMethod.Auto && n <= config.ExactWidthLimit);
        long square = exact ? MemoryEstimate.Product(2, n, n) : 0;
        long vectors = MemoryEstimate.Product(MemoryEstimate.Sum(MemoryEstimate.Product(4, config.Probes), config.LanczosSteps), n);
        long derivatives = MemoryEstimate.Product(config.JacobianInputs, config.Depth, n);
        long jacobian = MemoryEstimate.Product(MemoryEstimate.Sum(square, vectors, derivatives), sizeof(double));
        return network with { Workspace = MemoryEstimate.Sum(network.Workspace, jacobian) };
    }
}
