using System.Globalization;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Sweeps;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Sweeps;

/// <summary>A stand-in for the CLI's trial describer: the settings the tests use, on a small spiral run.</summary>
internal static class SweepTestSupport
{
    public static RunSpec Describe(IReadOnlyList<SweepSetting> settings)
    {
        var config = new TestFlags { Data = "spiral", Hidden = [8, 8], MaxSteps = 20, Epochs = 1, BatchSize = 32 };
        foreach (var s in settings)
        {
            config = s.Option switch
            {
                "activation" => config with { Activation = s.Value },
                "layers" => config with { Hidden = NetworkSpec.ParseLayers(s.Value) },
                "lr" => config with { LearningRate = double.Parse(s.Value, CultureInfo.InvariantCulture) },
                "dropout" => config with { Dropout = double.Parse(s.Value, CultureInfo.InvariantCulture) },
                "init" => config with { Init = s.Value },
                "seed" => config with { Seed = int.Parse(s.Value, CultureInfo.InvariantCulture) },
                "max-steps" => config with { MaxSteps = int.Parse(s.Value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"test describer: unknown option {s.Option}"),
            };
        }

        return config.ToSpec();
    }

    public static readonly string[] Options = ["activation", "layers", "lr", "dropout", "init", "max-steps"];

    public static string ExampleFile() => Path.Combine(AppContext.BaseDirectory, "examples", "sweep.json");
}
