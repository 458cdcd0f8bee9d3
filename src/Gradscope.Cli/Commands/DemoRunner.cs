using Gradscope.Cli.Output;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Layers;
using Gradscope.Training;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>Trains several configurations concurrently under the monitor, with one live progress bar each on a terminal.</summary>
internal static class DemoRunner
{
    /// <summary>Trains every variant under <paramref name="preset"/>; with no <paramref name="terminal"/> (JSON output) nothing is drawn.</summary>
    public static IReadOnlyList<MonitoredRunResult> RunAll(Terminal? terminal, IReadOnlyList<(string Label, RunSpec Spec)> variants, MonitorPreset preset = MonitorPreset.Cheap)
    {
        var results = new MonitoredRunResult[variants.Count];
        var runs = new PreparedRun<float>[variants.Count];
        for (int i = 0; i < variants.Count; i++)
            runs[i] = PreparedRun<float>.Create(variants[i].Spec, flagForm: true);

        if (terminal is null || terminal.Plain)
        {
            Parallel.For(0, variants.Count, i => results[i] = MonitoredRun.Run(runs[i], MonitorOptions.For(preset)));
            return results;
        }

        terminal.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var tasks = new ProgressTask[variants.Count];
                for (int i = 0; i < variants.Count; i++)
                    tasks[i] = ctx.AddTask(variants[i].Label, maxValue: MonitoredRun.ExpectedSteps(runs[i]));
                Parallel.For(0, variants.Count, i =>
                {
                    results[i] = MonitoredRun.Run(runs[i], MonitorOptions.For(preset), null, null, new StepTicker(tasks[i]));
                    tasks[i].Value = tasks[i].MaxValue;
                });
            });
        return results;
    }

    private sealed class StepTicker(ProgressTask task) : ITrainingObserver<float>
    {
        public void OnGradients(Sequential<float> model, in StepInfo step)
        {
        }

        public void OnStepEnd(Sequential<float> model, in StepInfo step) => task.Increment(1);

        public void OnEpochEnd(EpochResult epoch)
        {
        }
    }
}
