using System.Diagnostics;
using System.Globalization;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Training;

namespace Gradscope.Benchmarks;

/// <summary>
/// <c>-- store [config,...] [--rounds N] [--monitor cheap|standard]</c>: what recording a run into
/// the run store costs, measured as <see cref="MonitorOverhead"/> does: two identical trainers,
/// monitor only and monitor + <see cref="RunRecorder{T}"/> writing to a temporary SQLite store,
/// take turns running one block of <see cref="BlockSteps"/> steps each (order alternating), and
/// each round yields the ratios of the training thread's wall time and of its CPU time (from
/// <c>/proc/thread-self/schedstat</c>, nanoseconds: steadier than wall time on a shared machine).
/// The writer thread works outside the step, so its CPU time over all rounds is divided by the
/// steps recorded and added per step: total = median training-thread ratio - 1 + writer CPU per
/// step / median monitor-only step time, once with wall and once with CPU time.
/// Bytes allocated on the training thread per step are reported for both arms. <c>--control</c>
/// records in neither arm: the noise floor of the pairing. <c>--writer-only N</c> feeds a recorder
/// N steps of a 21-layer trace without training and prints the writer's CPU per step.
/// </summary>
internal static class StoreOverhead
{
    private const int BlockSteps = 50;

    // The writer's thread name as Linux keeps it (15 bytes).
    private const string WriterThreadName = "gradscope run s";

    // Longer than the writer's flush interval (1 s), so every step recorded before it is on disk.
    private static readonly TimeSpan FlushWait = TimeSpan.FromSeconds(1.5);

    public static void Run(string[] args)
    {
        int rounds = 40;
        var preset = MonitorPreset.Cheap;
        bool control = false;
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--writer-only")
            {
                WriterOnly(int.Parse(args[++i], CultureInfo.InvariantCulture));
                return;
            }

            if (args[i] == "--control")
                control = true;
            else if (args[i] == "--rounds")
                rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--monitor")
                preset = MonitorOptions.ParsePreset(args[++i]);
            else
                names.AddRange(args[i].Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        if (names.Count == 0)
            names.Add("deep-narrow-sigmoid");
        Console.WriteLine($"Paired run-store overhead (monitor {preset.ToString().ToLowerInvariant()}): {rounds} rounds of {BlockSteps}-step blocks per arm, interleaved; training thread median (min..max) over rounds, writer CPU amortized over all recorded steps.");
        Console.WriteLine($"{"config",-22} {"monitor ms/step",16} {"training wall",24} {"training CPU",24} {"writer CPU ms/step",19} {"total wall",11} {"total CPU",10} {"alloc B/step (mon/rec)",23}");
        foreach (string name in names)
            Measure(StepConfiguration.Named(name), preset, rounds, control);
    }

    // control: the second arm records nothing either, which shows what two identical trainers differ by.
    private static void Measure(StepConfiguration config, MonitorPreset preset, int rounds, bool control)
    {
        string folder = Directory.CreateTempSubdirectory("gradscope-store-bench-").FullName;
        try
        {
            int totalSteps = (rounds + 1) * BlockSteps;
            var plain = Arm.Create(config, preset, totalSteps, null);
            var recorded = Arm.Create(config, preset, totalSteps, control ? null : Path.Combine(folder, RunStore.DefaultFileName));
            plain.Block(); // warm-up: JIT, buffers, the writer's first flush
            recorded.Block();
            Thread.Sleep(FlushWait);
            int writerThread = control ? 0 : FindThread(WriterThreadName);
            long writerStart = ThreadCpuNanoseconds(writerThread);

            var monitorMs = new double[rounds];
            var monitorCpuMs = new double[rounds];
            var wall = new double[rounds];
            var cpu = new double[rounds];
            for (int r = 0; r < rounds; r++)
            {
                (double Wall, double Cpu) a, b;
                if (r % 2 == 0)
                    (a, b) = (plain.Block(), recorded.Block());
                else
                    (b, a) = (recorded.Block(), plain.Block());
                (monitorMs[r], monitorCpuMs[r]) = (a.Wall / BlockSteps, a.Cpu / BlockSteps);
                (wall[r], cpu[r]) = (b.Wall / a.Wall, b.Cpu / a.Cpu);
            }

            // Everything recorded is flushed within one interval; its CPU counts too.
            Thread.Sleep(FlushWait);
            double writerMsPerStep = (ThreadCpuNanoseconds(writerThread) - writerStart) / 1e6 / (rounds * BlockSteps);
            recorded.Complete();
            double stepMs = MonitorOverhead.Median(monitorMs);
            double totalWall = MonitorOverhead.Median(wall) + (writerMsPerStep / stepMs);
            double totalCpu = MonitorOverhead.Median(cpu) + (writerMsPerStep / MonitorOverhead.Median(monitorCpuMs));
            string allocated = FormattableString.Invariant($"{plain.AllocatedPerStep:F0} / {recorded.AllocatedPerStep:F0}");
            Console.WriteLine(FormattableString.Invariant(
                $"{config.Name,-22} {stepMs,16:F3} {Describe(wall),24} {Describe(cpu),24} {writerMsPerStep,19:F4} {MonitorOverhead.Percent(totalWall),11} {MonitorOverhead.Percent(totalCpu),10} {allocated,23}"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The writer alone: N steps of a 21-layer trace fed to a recorder as fast as it takes them.
    private static void WriterOnly(int steps)
    {
        string folder = Directory.CreateTempSubdirectory("gradscope-store-bench-").FullName;
        try
        {
            const int layers = 21;
            var trace = new Gradscope.Diagnostics.Trace(Enumerable.Range(1, layers).Select(l => $"dense{l}").ToArray(), Enumerable.Repeat(64, layers).ToArray(), Enumerable.Repeat(64, layers).ToArray(), "sigmoid", steps);
            var stats = new double[LayerStatNames.Count * layers];
            var run = new RunRecord { Id = Ulid.New(), Kind = "bench", Status = RunStatus.Running, Started = DateTimeOffset.UtcNow, Trace = trace };
            using var recorder = RunRecorder<float>.Start(Path.Combine(folder, RunStore.DefaultFileName), run, message => Console.Error.WriteLine(message));
            int writer = FindThread(WriterThreadName);
            long start = ThreadCpuNanoseconds(writer);
            var clock = Stopwatch.StartNew();
            for (int s = 0; s < steps; s++)
            {
                stats.AsSpan().Fill(s * 1e-3);
                trace.AppendStep(s, 1.0 / (s + 1), 0.1, s * 1e-3, stats);
                recorder.OnStepEnd(null!, default);
            }

            Thread.Sleep(FlushWait);
            double cpu = (ThreadCpuNanoseconds(writer) - start) / 1e3 / steps;
            recorder.Complete(new RunEnd(RunStatus.Completed, DateTimeOffset.UtcNow, RunMetrics.None, []));
            Console.WriteLine(FormattableString.Invariant($"writer only: {steps} steps x {layers} layers, {cpu:F1} us writer CPU per step ({clock.Elapsed.TotalSeconds:F1} s)"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int FindThread(string name)
    {
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == name)
                return int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"No thread named '{name}' in /proc/self/task (the store overhead mode needs Linux).");
    }

    // First field of schedstat: nanoseconds the thread has run on a CPU.
    private static long ThreadCpuNanoseconds(int thread) => thread == 0 ? 0 :
        long.Parse(File.ReadAllText($"/proc/self/task/{thread}/schedstat").Split(' ')[0], CultureInfo.InvariantCulture);

    private static string Describe(double[] ratios) =>
        FormattableString.Invariant($"{MonitorOverhead.Percent(MonitorOverhead.Median(ratios))} ({MonitorOverhead.Percent(ratios.Min())}..{MonitorOverhead.Percent(ratios.Max())})");

    // Nanoseconds the calling thread has run on a CPU.
    private static long CurrentThreadCpuNanoseconds() =>
        long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], CultureInfo.InvariantCulture);


    private sealed class Arm(Trainer<float> trainer, Dataset data, int[] batch, RunRecorder<float>? recorder)
    {
        private long _allocated;
        private long _steps;

        public double AllocatedPerStep => (double)_allocated / _steps;

        public static Arm Create(StepConfiguration config, MonitorPreset preset, int totalSteps, string? store)
        {
            var (trainer, data, batch) = config.CreateTrainer();
            var monitor = new GradientMonitor<float>(trainer.Model, MonitorOptions.For(preset), totalSteps);
            trainer.AddObserver(monitor);
            RunRecorder<float>? recorder = null;
            if (store is not null)
            {
                var run = new RunRecord { Id = Ulid.New(), Kind = "bench", Name = config.Name, Status = RunStatus.Running, Started = DateTimeOffset.UtcNow, Trace = monitor.Trace };
                recorder = RunRecorder<float>.Start(store, run, message => Console.Error.WriteLine(message));
                trainer.AddObserver(recorder);
            }

            return new Arm(trainer, data, batch, recorder);
        }

        // Wall and CPU milliseconds of one block of steps on this thread.
        public (double Wall, double Cpu) Block()
        {
            long bytes = GC.GetAllocatedBytesForCurrentThread();
            long cpu = CurrentThreadCpuNanoseconds();
            long start = Stopwatch.GetTimestamp();
            for (int s = 0; s < BlockSteps; s++)
                trainer.Step(data, batch);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            double cpuMs = (CurrentThreadCpuNanoseconds() - cpu) / 1e6;
            _allocated += GC.GetAllocatedBytesForCurrentThread() - bytes;
            _steps += BlockSteps;
            return (ms, cpuMs);
        }

        public void Complete()
        {
            recorder?.Complete(new RunEnd(RunStatus.Completed, DateTimeOffset.UtcNow, RunMetrics.None, []));
            recorder?.Dispose();
        }
    }
}
