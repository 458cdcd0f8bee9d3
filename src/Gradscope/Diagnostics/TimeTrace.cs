namespace Gradscope.Diagnostics;

/// <summary>
/// The gradient through time of one recurrent layer over training, as the <see cref="GradientMonitor{T}"/>
/// records it: ||dL/dh_t|| for every time step t (columns) at every training step (rows), as one
/// compact <c>double[steps * maxLength]</c> beside the layer x steps <see cref="Trace"/>. Batches may
/// differ in length; entries past a step's length are NaN.
/// </summary>
public sealed class TimeTrace
{
    private double[] _norms;
    private int[] _lengths;
    private int _capacity;

    /// <summary>Creates an empty trace for sequences of up to <paramref name="maxLength"/> steps.</summary>
    public TimeTrace(int maxLength, int expectedSteps = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        MaxLength = maxLength;
        _capacity = Math.Max(1, expectedSteps);
        _norms = new double[_capacity * maxLength];
        _lengths = new int[_capacity];
    }

    /// <summary>The longest sequence the trace holds.</summary>
    public int MaxLength { get; }

    /// <summary>Training steps recorded.</summary>
    public int StepCount { get; private set; }

    /// <summary>||dL/dh_t|| at training step <paramref name="step"/>, NaN past that step's length.</summary>
    public double this[int step, int t] => _norms[(step * MaxLength) + t];

    /// <summary>The sequence length at training step <paramref name="step"/>.</summary>
    public int Length(int step) => _lengths[step];

    /// <summary>||dL/dh_t|| for t = 0..length-1 at one training step.</summary>
    public ReadOnlySpan<double> AtStep(int step) => _norms.AsSpan(step * MaxLength, _lengths[step]);

    /// <summary>Appends one training step's norms (from <see cref="Recurrent.RecurrentLayer{T}.HiddenGradNorms"/>). Grows by doubling when full.</summary>
    /// <exception cref="GradscopeException">The sequence is longer than <see cref="MaxLength"/>.</exception>
    public void Record(ReadOnlySpan<double> norms)
    {
        if (norms.Length > MaxLength)
            throw new GradscopeException($"A time trace sized for {MaxLength} steps cannot record a sequence of {norms.Length} steps.");
        if (StepCount == _capacity)
        {
            _capacity *= 2;
            Array.Resize(ref _norms, _capacity * MaxLength);
            Array.Resize(ref _lengths, _capacity);
        }

        Span<double> row = _norms.AsSpan(StepCount * MaxLength, MaxLength);
        norms.CopyTo(row);
        row[norms.Length..].Fill(double.NaN);
        _lengths[StepCount++] = norms.Length;
    }

    /// <summary>
    /// The typical norm k steps back from the end of the sequence, for k = 0..K-1 (K the shortest
    /// length among the steps): the geometric mean over training steps [<paramref name="from"/>,
    /// <paramref name="to"/>) of ||dL/dh_{length-1-k}||. Aligning at the end suits many-to-one
    /// models, where the gradient enters at the last step. Zeros count as 1e-300 so the log is finite.
    /// </summary>
    public double[] ProfileFromEnd(int from, int to)
    {
        from = Math.Clamp(from, 0, StepCount);
        to = Math.Clamp(to, from, StepCount);
        if (to == from)
            return [];
        int shortest = int.MaxValue;
        for (int s = from; s < to; s++)
            shortest = Math.Min(shortest, _lengths[s]);

        var profile = new double[shortest];
        for (int k = 0; k < shortest; k++)
        {
            double logSum = 0;
            for (int s = from; s < to; s++)
                logSum += Math.Log(Math.Max(this[s, _lengths[s] - 1 - k], 1e-300));
            profile[k] = Math.Exp(logSum / (to - from));
        }

        return profile;
    }
}
