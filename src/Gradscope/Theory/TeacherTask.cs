using Gradscope.Tensors;

namespace Gradscope.Theory;

/// <summary>
/// The trainability experiment's data: x ~ N(0, I_D), labelled argmax(V x) by a random linear
/// teacher V [classes, D] with N(0, 1) entries. Learnable by a shallow network in a few hundred
/// steps, so failure at depth is the network's, not the task's.
/// </summary>
internal sealed class TeacherTask
{
    private TeacherTask(Matrix<double> trainInputs, int[] trainLabels, Matrix<double> testInputs, int[] testLabels)
    {
        TrainInputs = trainInputs;
        TrainLabels = trainLabels;
        TestInputs = testInputs;
        TestLabels = testLabels;
    }

    public Matrix<double> TrainInputs { get; }

    public int[] TrainLabels { get; }

    public Matrix<double> TestInputs { get; }

    public int[] TestLabels { get; }

    public static TeacherTask Create(TrainabilityOptions options)
    {
        var random = new SeededRandom(options.Seed);
        var teacher = new Matrix<double>(options.Classes, options.InputDimension);
        RandomWeights.FillGaussian(teacher, options.InputDimension, random);
        var (trainX, trainY) = Sample(teacher, options.TrainSamples, random);
        var (testX, testY) = Sample(teacher, options.TestSamples, random);
        return new TeacherTask(trainX, trainY, testX, testY);
    }

    private static (Matrix<double>, int[]) Sample(Matrix<double> teacher, int count, SeededRandom random)
    {
        var x = new Matrix<double>(count, teacher.Cols);
        foreach (ref double v in x.Span)
            v = random.NextGaussian();
        var labels = new int[count];
        var scores = new double[teacher.Rows];
        for (int r = 0; r < count; r++)
        {
            for (int k = 0; k < scores.Length; k++)
                scores[k] = System.Numerics.Tensors.TensorPrimitives.Dot<double>(teacher.Row(k), x.Row(r));
            labels[r] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<double>(scores);
        }

        return (x, labels);
    }
}
