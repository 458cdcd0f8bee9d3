using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Gradscope.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Gradscope.Benchmarks -- --filter '*'</c>; add
/// <c>--job short</c> (BenchmarkDotNet's ShortRun) or <c>--quick</c> (one launch, few iterations)
/// for a fast look (in process: no separate build, one launch, 3 warm-up and 7 measured iterations).
/// <c>-- overhead [configs] [--rounds N]</c> measures the monitor's cost paired and interleaved
/// (<see cref="MonitorOverhead"/>); <c>-- store [configs] [--rounds N]</c> what recording into the
/// run store adds to that (<see cref="StoreOverhead"/>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "overhead")
        {
            MonitorOverhead.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "store")
        {
            StoreOverhead.Run(args[1..]);
            return;
        }

        bool quick = Array.IndexOf(args, "--quick") >= 0;
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new GflopsColumn());
        if (quick)
        {
            args = Array.FindAll(args, a => a != "--quick");
            config = config.AddJob(Job.Default
                .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7)
                .WithToolchain(InProcessEmitToolchain.Instance).WithId("Quick"));
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
