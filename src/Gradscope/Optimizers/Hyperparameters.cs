namespace Gradscope.Optimizers;

/// <summary>Range checks for optimizer settings; the messages name the setting and the value given.</summary>
internal static class Hyperparameters
{
    public static double LearningRate(double value) => AtLeastZero(value, "learning rate");

    public static double WeightDecay(double value) => AtLeastZero(value, "weight decay");

    public static double AtLeastZero(double value, string what)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new GradscopeException($"The {what} must be a finite number of at least 0; got {value}.");
        return value;
    }

    /// <summary>A decay rate such as beta1, beta2 or alpha: in [0, 1).</summary>
    public static double DecayRate(double value, string what)
    {
        if (!(value >= 0 && value < 1))
            throw new GradscopeException($"The {what} must be at least 0 and below 1; got {value}.");
        return value;
    }
}
