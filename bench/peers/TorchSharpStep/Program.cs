using System.Globalization;
using TorchSharpStep;
using static TorchSharp.torch;

// TorchSharp peer of `gradscope bench`; see bench/peers/README.md.
//   step --threads N [--configs a,b] [--steps 50] [--warmup 10]   one JSON object per line and configuration
//   loss --model m.safetensors --data batch.csv --activation relu  one JSON object: loss and weight-gradient norms
var options = new Dictionary<string, string>();
for (int i = 1; i + 1 < args.Length; i += 2)
    options[args[i]] = args[i + 1];
string Option(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
int threads = int.Parse(Option("--threads", "1"), CultureInfo.InvariantCulture);
set_num_threads(threads);

switch (args.Length > 0 ? args[0] : "")
{
    case "step":
        var names = Option("--configs", string.Join(",", Configuration.All.Select(c => c.Name))).Split(',');
        int steps = int.Parse(Option("--steps", "50"), CultureInfo.InvariantCulture);
        int warmup = int.Parse(Option("--warmup", "10"), CultureInfo.InvariantCulture);
        foreach (string name in names)
        {
            var (median, min) = StepTimer.Measure(Configuration.Named(name), steps, warmup);
            Console.WriteLine(FormattableString.Invariant(
                $"{{\"peer\": \"torchsharp\", \"config\": \"{name}\", \"threads\": {get_num_threads()}, \"steps\": {steps}, \"ms_per_step_median\": {median:F4}, \"ms_per_step_min\": {min:F4}}}"));
        }

        return 0;
    case "loss":
        var (loss, layers) = LossCheck.Run(Option("--model", "model.safetensors"), Option("--data", "batch.csv"), Option("--activation", "relu"));
        var layerJson = string.Join(", ", layers.Select(l => FormattableString.Invariant($"{{\"name\": \"{l.Name}\", \"grad_norm\": {l.GradNorm:R}}}")));
        Console.WriteLine(FormattableString.Invariant($"{{\"loss\": {loss:R}, \"layers\": [{layerJson}]}}"));
        return 0;
    default:
        Console.Error.WriteLine("usage: TorchSharpStep step --threads N [--configs a,b] [--steps 50] [--warmup 10]");
        Console.Error.WriteLine("       TorchSharpStep loss --model m.safetensors --data batch.csv --activation relu");
        return 2;
}
