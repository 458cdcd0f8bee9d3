namespace TorchSharpStep;

/// <summary>One network and batch size of the performance issue (same as bench/Gradscope.Benchmarks/StepConfiguration.cs).</summary>
internal sealed record Configuration(string Name, int Input, int[] Hidden, int Classes, string Activation, int BatchSize)
{
    public static IReadOnlyList<Configuration> All { get; } =
    [
        new("deep-narrow-sigmoid", 2, Repeat(64, 20), 2, "sigmoid", 128),
        new("deep-narrow-relu", 2, Repeat(64, 20), 2, "relu", 128),
        new("mnist-mlp", 784, [512, 512], 10, "relu", 128),
        new("wide", 784, [2048, 2048], 10, "relu", 256),
        new("deep-mnist-tanh", 784, Repeat(256, 10), 10, "tanh", 64),
    ];

    public static Configuration Named(string name)
    {
        foreach (var configuration in All)
        {
            if (configuration.Name == name)
                return configuration;
        }

        throw new ArgumentException($"No configuration '{name}'; known: {string.Join(", ", All.Select(c => c.Name))}.");
    }

    private static int[] Repeat(int width, int count) => Enumerable.Repeat(width, count).ToArray();
}
