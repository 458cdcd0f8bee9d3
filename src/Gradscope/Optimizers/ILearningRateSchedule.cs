namespace Gradscope.Optimizers;

/// <summary>The learning rate as a function of the epoch; the trainer sets it on the optimizer before each epoch.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/>, counted from 0.</summary>
    double At(int epoch);
}
