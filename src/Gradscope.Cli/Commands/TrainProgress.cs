using System.Numerics;
using Gradscope.Cli.Output;
using Gradscope.Lab.Runs;
using Gradscope.Layers;
using Gradscope.Training;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>
/// Runs training behind a progress bar on a terminal, or with one line per epoch when plain;
/// the stop token ends it at a step boundary, and the bar then closes normally (which
/// shows the cursor again).
/// </summary>
internal static class TrainProgress
{
    public static TrainingResult Run<T>(Terminal terminal, PreparedRun<T> run, CancellationToken stop)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (terminal.Plain)
        {
            var printer = new EpochPrinter<T>(terminal, run.Config.Budget.Epochs, run.TestKind?.Name() ?? "test");
            run.Trainer.AddObserver(printer);
            return run.Trainer.Train(run.Train, run.Test, stop);
        }

        TrainingResult? result = null;
        terminal.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: run.Config.Budget.Epochs);
                run.Trainer.AddObserver(new ProgressObserver<T>(task, run.Config.Budget.Epochs));
                result = run.Trainer.Train(run.Train, run.Test, stop);
                if (result.Status != TrainingStatus.Interrupted)
                    task.Value = task.MaxValue;
            });
        return result!;
    }

    private sealed class ProgressObserver<T>(ProgressTask task, int epochs) : ITrainingObserver<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void OnGradients(Sequential<T> model, in StepInfo step)
        {
        }

        public void OnStepEnd(Sequential<T> model, in StepInfo step)
        {
        }

        public void OnEpochEnd(EpochResult epoch)
        {
            task.Description = $"epoch {epoch.Epoch + 1}/{epochs}  loss {Format.Fixed(epoch.TrainLoss)}  acc {Format.Percent(epoch.TrainAccuracy)}";
            task.Increment(1);
        }
    }

    private sealed class EpochPrinter<T>(Terminal terminal, int epochs, string heldOut) : ITrainingObserver<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void OnGradients(Sequential<T> model, in StepInfo step)
        {
        }

        public void OnStepEnd(Sequential<T> model, in StepInfo step)
        {
        }

        public void OnEpochEnd(EpochResult epoch)
        {
            // At most about 20 lines in logs, always the first and last epoch.
            int every = Math.Max(1, epochs / 20);
            if (epoch.Epoch == 0 || epoch.Epoch == epochs - 1 || (epoch.Epoch + 1) % every == 0)
            {
                terminal.Text($"epoch {epoch.Epoch + 1,4}/{epochs}  train loss {Format.Fixed(epoch.TrainLoss)}  acc {Format.Percent(epoch.TrainAccuracy)}" +
                    (double.IsNaN(epoch.TestLoss) ? string.Empty : $"  {heldOut} loss {Format.Fixed(epoch.TestLoss)}  acc {Format.Percent(epoch.TestAccuracy)}"));
            }
        }
    }
}
