using System.CommandLine;
using System.Numerics;
using System.Runtime.CompilerServices;
using Gradscope.Activations;
using Gradscope.Diagnostics;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Runs;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope inspect</c>: one forward and backward pass of a saved model over data, per-layer gradient statistics.</summary>
internal static class InspectCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "Model file (safetensors), from 'gradscope train --save' or PyTorch.", Required = true };
        var data = new Option<string>("--data") { Description = "Data: a CSV file (header row; label column by --label, else the last), an .npz or .safetensors file with x [N, F] or sequences [N, T, F] and y [N], or a built-in set name.", Required = true };
        var label = CommonOptions.Label();
        var activation = CommonOptions.ActivationName("Activation at the places an nn.Sequential saved by PyTorch keeps no tensors for (the first index missing between two Linear layers); required for such files when they have them.");
        var spec = CommonOptions.LoadSpec();
        var seqLen = CommonOptions.SeqLen();
        var samples = CommonOptions.Samples();
        var mode = CommonOptions.Mode();
        var dtype = CommonOptions.Dtype();
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed();
        var gradOut = new Option<string?>("--grad-out")
        {
            Description = "Also write every trainable tensor's gradient to this safetensors file, under its state-dict name and shape (to compare element by element with another framework).",
        };
        var command = new Command("inspect",
            "Run one forward and backward pass (mean softmax cross-entropy) of a model over all rows of a data set and print each dense layer's gradient statistics " +
            "(with --json also every trainable tensor's gradient norm, by its name in the file).\n\n" +
            "Examples:\n" +
            "  gradscope inspect --model model.safetensors --data data.csv\n" +
            "  gradscope inspect --model torch_model.safetensors --data data.csv --activation tanh --dtype float64 --json\n" +
            "  gradscope inspect --model torch_model.safetensors --data data.csv --model-spec net.json --mode eval")
        {
            model, data, label, activation, spec, seqLen, samples, mode, dtype, json, seed, gradOut,
        };
        command.SetAction(parsed =>
        {
            var hidden = parsed.GetValue(activation) is { } name ? CommonOptions.ParseActivation(name) : null;
            var inspectMode = CommonOptions.ParseMode(parsed.GetValue(mode)!);
            var request = new Request(
                parsed.GetValue(model)!,
                parsed.GetValue(data)!,
                parsed.GetValue(label),
                hidden,
                CommonOptions.ReadSpec(parsed.GetValue(spec), hidden),
                inspectMode,
                parsed.GetValue(json),
                parsed.GetValue(seed),
                parsed.GetValue(seqLen) is { } t && t < 1 ? throw new UsageException($"--seq-len must be at least 1; got {t}.") : parsed.GetValue(seqLen),
                parsed.GetValue(samples) is { } n && n < 1 ? throw new UsageException($"--samples must be at least 1; got {n}.") : parsed.GetValue(samples),
                parsed.GetValue(gradOut));
            CommonOptions.CheckModelAndData(request.Model, request.Data, request.Label);
            OptionChecks.Path(request.GradOut, "--grad-out");
            return CommonOptions.IsDouble(parsed.GetValue(dtype)!) ? Run<double>(context, request) : Run<float>(context, request);
        });
        return command;
    }

    private sealed record Request(string Model, string Data, string? Label, Activation? Activation, ModelSpecDocument? Spec, InspectionMode Mode, bool Json, int Seed, int? SeqLen = null, int? Samples = null, string? GradOut = null);

    private static int Run<T>(CliContext context, Request request)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Checked (and kept off the inputs) before anything is computed.
        var files = new OutputFiles();
        files.AddInput("--model", request.Model);
        files.AddInput("--data", request.Data);
        var gradients = request.GradOut is null ? null : files.AddFile("--grad-out", request.GradOut);
        var (loaded, dataset) = CommonOptions.LoadModelAndData<T>(request.Model, request.Activation, request.Spec, request.Data, request.Label, request.Seed, request.SeqLen, request.Samples);

        // One pass over all rows at once: the whole data set is the batch.
        MemoryEstimate.For(loaded.Spec, new MemoryShape { BatchSize = dataset.Count, ElementSize = Unsafe.SizeOf<T>(), Optimizer = null })
            .Ensure($"inspecting this model on all {dataset.Count} rows");
        var result = Inspection.Run(loaded.Network, dataset, request.Mode);
        if (gradients is not null)
            files.Write(gradients, stream => ModelFile.SaveGradients(stream, request.GradOut!, loaded.Network));
        if (request.Json)
        {
            // One forward and backward pass over every row: a budget of one step of the whole set.
            var config = LoadedRun.For(loaded, dataset, request.Label, request.Seed) with { Budget = new BudgetSpec { Epochs = 1, MaxSteps = 1, BatchSize = dataset.Count } };
            LayerReport.Json(context.Out, result, request.Mode, config, request.Model);
        }
        else
            LayerReport.Table(context.CreateTerminal(), loaded.Spec.Describe(), dataset, result, request.Mode, NetworkFacts.For(loaded.Spec, null));
        return CliApp.Success;
    }
}
