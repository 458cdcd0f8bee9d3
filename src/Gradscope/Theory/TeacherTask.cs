using System.Numerics.Tensors;
using Gradscope.Data;
using Gradscope.Tensors;

namespace Gradscope.Theory;

/// <summary>
/// The trainability experiment's data, as ordinary data sets: x ~ N(0, I_D), labelled argmax(V x)
/// by a random linear teacher V [classes, D] with N(0, 1) entries. Learnable by a shallow network
/// in a few hundred steps, so failure at depth is the network's, not the task's.
/// </summary>
internal static class TeacherTask
{
    /// <summary>The training and held-out sets the teacher of <paramref name="options"/> labels.</summary>
    public static (Dataset Train, Dataset Test) Create(TrainabilityOptions options)
    {
        var random = new SeededRandom(options.Seed);
        var teacher = new Matrix<double>(options.Classes, options.InputDimension);
        RandomWeights.FillGaussian(teacher, options.InputDimension, random);
        var train = Sample(teacher, options.TrainSamples, random, "teacher (train)");
        var test = Sample(teacher, options.TestSamples, random, "teacher (test)");
        return (train, test);
    }

    private static Dataset Sample(Matrix<double> teacher, int count, SeededRandom random, string name)
    {
        int features = teacher.Cols;
        var x = new double[count * features];
        foreach (ref double v in x.AsSpan())
            v = random.NextGaussian();
        var labels = new int[count];
        var scores = new double[teacher.Rows];
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<double> row = x.AsSpan(r * features, features);
            for (int k = 0; k < scores.Length; k++)
                scores[k] = TensorPrimitives.Dot<double>(teacher.Row(k), row);
            labels[r] = TensorPrimitives.IndexOfMax<double>(scores);
        }

        return new Dataset(name, x, labels, features, teacher.Rows);
    }
}
