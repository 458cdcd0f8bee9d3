using System.Diagnostics;
using System.Globalization;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Training;

namespace Gradscope.Benchmarks;

/// <summary>
/// <c>-- overhead [config,...] [--rounds N]</c>: the monitor's cost as a paired, interleaved
/// measurement. Three identical trainers (monitor off, cheap, standard) take turns running one
/// block of <see cref="BlockSteps"/> steps each, in rotating order, and each round yields the
/// ratios cheap/off and standard/off of blocks run seconds apart. The median ratio over rounds is
/// robust to what a shared machine does between rounds, which separate BenchmarkDotNet cases
/// (minutes apart) are not. A block is one period of standard's histograms, so every standard
/// block pays for exactly one histogram step.
/// </summary>
internal static class MonitorOverhead
{
    private const int BlockSteps = 50;

    public static void Run(string[] args)
    {
        int rounds = 15;
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds")
                rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else
                names.AddRange(args[i].Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        if (names.Count == 0)
            names.AddRange(TrainingStepBenchmarks.Names());
        Console.WriteLine($"Paired monitor overhead: {rounds} rounds of {BlockSteps}-step blocks per preset, interleaved; median (min..max) over rounds.");
        Console.WriteLine($"{"config",-22} {"off ms/step",12} {"cheap",22} {"standard",22}");
        foreach (string name in names)
            Measure(StepConfiguration.Named(name), rounds);
    }

    private static void Measure(StepConfiguration config, int rounds)
    {
        int totalSteps = (rounds + 1) * BlockSteps;
        var runs = new[] { Arm.Create(config, MonitorPreset.Off, totalSteps), Arm.Create(config, MonitorPreset.Cheap, totalSteps), Arm.Create(config, MonitorPreset.Standard, totalSteps) };
        foreach (var arm in runs)
            arm.Block(); // warm-up: JIT, buffers, first histograms
        var off = new double[rounds];
        var cheap = new double[rounds];
        var standard = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            var times = new double[3];
            for (int i = 0; i < 3; i++)
            {
                int arm = (r + i) % 3;
                times[arm] = runs[arm].Block();
            }

            off[r] = times[0] / BlockSteps;
            cheap[r] = times[1] / times[0];
            standard[r] = times[2] / times[0];
        }

        Console.WriteLine($"{config.Name,-22} {Median(off),12:F3} {Describe(cheap),22} {Describe(standard),22}");
    }

    private static string Describe(double[] ratios) =>
        FormattableString.Invariant($"{Percent(Median(ratios))} ({Percent(Min(ratios))}..{Percent(Max(ratios))})");

    internal static string Percent(double ratio) => FormattableString.Invariant($"{(ratio - 1) * 100:+0.0;-0.0}%");

    internal static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    private static double Min(double[] values)
    {
        double min = double.PositiveInfinity;
        foreach (double v in values)
            min = Math.Min(min, v);
        return min;
    }

    private static double Max(double[] values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
            max = Math.Max(max, v);
        return max;
    }

    private sealed class Arm(Trainer<float> trainer, Dataset data, int[] batch)
    {
        public static Arm Create(StepConfiguration config, MonitorPreset preset, int totalSteps)
        {
            var (trainer, data, batch) = config.CreateTrainer();
            if (preset != MonitorPreset.Off)
                trainer.AddObserver(new GradientMonitor<float>(trainer.Model, MonitorOptions.For(preset), totalSteps));
            return new Arm(trainer, data, batch);
        }

        // Milliseconds for one block of steps.
        public double Block()
        {
            long start = Stopwatch.GetTimestamp();
            for (int s = 0; s < BlockSteps; s++)
                trainer.Step(data, batch);
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }
}
