using CsCheck;
using Gradscope.Tests.Data;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>
/// The fuzzed formats and the cheapest commands that read each one fully: one training step of a
/// 4-unit network for data, model specs and run descriptions (data loading, standardization, the
/// network built from the spec, the model written), <c>inspect</c> for model files (and
/// <c>diagnose --steps 2</c> on every eighth).
/// </summary>
internal static class FuzzTargets
{
    private static readonly string[] OneStep = ["--epochs", "1", "--max-steps", "1", "--monitor", "off", "--json"];

    private static readonly (string, string)[] SpecSnippets =
    [
        ("{", "\"input\":3,"),
        ("\"layers\":[", "{\"type\":\"dense\",\"units\":2147483647},"),
        ("\"layers\":[", "{\"type\":\"dense\",\"units\":40000},"),
        ("\"layers\":[", "{\"type\":\"residual\",\"layers\":[]},"),
        ("\"layers\":[", "{\"type\":\"dropout\",\"p\":1},"),
        ("\"layers\":[", "{\"type\":\"activation\"},"),
        ("\"layers\":[", "{},"),
        ("\"layers\":[", "null,"),
        ("\"layers\":[", "{\"type\":\"batchnorm\"},{\"type\":\"batchnorm\"},"),
    ];

    private static readonly (string, string)[] HeaderSnippets =
    [
        ("{", "\"__metadata__\":{},"),
        ("{", "\"__metadata__\":null,"),
        ("{", "\"z\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"),
        ("{", "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"),
        ("\"__metadata__\":{", "\"gradscope.classes\":\"[]\","),
        ("\"__metadata__\":{", "\"gradscope.classes\":\"[\\\"a\\\",\\\"a\\\",\\\"b\\\"]\","),
        ("\"__metadata__\":{", "\"gradscope.standardization\":\"{}\","),
        ("\"__metadata__\":{", "\"gradscope.architecture\":\"{\\\"type\\\":\\\"spec\\\",\\\"layers\\\":[]}\","),
    ];

    public static IReadOnlyList<FuzzTarget> All(FuzzSeeds seeds)
    {
        var npy = NpzTestWriter.NpyHeader("<f4", [FuzzSeeds.Rows, FuzzSeeds.Features]);
        var npyMutations = Gen.Frequency(
            (3, MutationGens.Bytes), (2, MutationGens.Fields(npy, FileFields.Npy())), (2, MutationGens.Numbers), (2, MutationGens.Tokens(FormatTokens.Npy)), (2, MutationGens.Shapes));
        var csv = Gen.Frequency((3, MutationGens.Text), (1, MutationGens.Tokens(FormatTokens.Csv)));
        var idxImages = Gen.Frequency((3, MutationGens.Bytes), (3, MutationGens.Fields(seeds.IdxImages, FileFields.Idx(3))));
        return
        [
            Train("csv", "data.csv", seeds.Csv, csv, 14),
            Train("csv.gz", "data.csv.gz", seeds.CsvGzip, Gzipped(seeds.CsvGzip, csv), 10),
            Idx("idx-images", "train-images-idx3-ubyte", seeds.IdxImages, idxImages, ("train-labels-idx1-ubyte", seeds.IdxLabels), 6),
            Idx("idx-images.gz", "train-images-idx3-ubyte.gz", seeds.IdxImagesGzip, Gzipped(seeds.IdxImagesGzip, idxImages), ("train-labels-idx1-ubyte", seeds.IdxLabels), 3),
            Idx("idx-labels", "train-labels-idx1-ubyte", seeds.IdxLabels, Gen.Frequency((3, MutationGens.Bytes), (3, MutationGens.Fields(seeds.IdxLabels, FileFields.Idx(1)))),
                ("train-images-idx3-ubyte", seeds.IdxImages), 5),
            Train("npz-stored", "data.npz", seeds.NpzStored, Zip(seeds.NpzStored, npyMutations), 10),
            Train("npz-deflated", "data.npz", seeds.NpzDeflated, Zip(seeds.NpzDeflated, npyMutations), 10),
            Train("safetensors-data", "data.safetensors", seeds.SafetensorsData, Safetensors(seeds.SafetensorsData, FormatTokens.Safetensors), 10),
            Model("model", seeds.PlainModel, seeds),
            Model("model-spec-layers", seeds.SpecModel, seeds),
            Train("model-spec", "spec.json", seeds.ModelSpec, Spec(FormatTokens.ModelSpec), 8) with
            {
                Kind = FuzzFileKind.Spec,
                Command = (dir, file, _) => TrainCommand(dir, ["--model-spec", file, "--data", seeds.CsvPath]) with { ReadBackData = seeds.CsvPath },
            },
            Train("run-spec", "run.json", seeds.RunSpec, Spec(FormatTokens.RunSpec), 8) with
            {
                Kind = FuzzFileKind.Spec,
                Command = RunSpecBudget.Command,
            },
        ];
    }

    private static FuzzTarget Train(string name, string fileName, byte[] seed, Gen<Mutation> mutations, int weight) =>
        new(name, fileName, seed, mutations, (dir, file, _) => TrainCommand(dir, ["--data", file, "--layers", "4"]) with { ReadBackData = file }, weight);

    private static FuzzCommand TrainCommand(string dir, string[] input)
    {
        string save = Path.Combine(dir, "out.safetensors");
        return new FuzzCommand(["train", .. input, .. OneStep, "--save", save], FuzzOutput.Train, save);
    }

    private static FuzzTarget Idx(string name, string fileName, byte[] seed, Gen<Mutation> mutations, (string Name, byte[] Bytes) partner, int weight) =>
        new(name, fileName, seed, mutations, (dir, _, _) => TrainCommand(dir, ["--data", "mnist", "--data-dir", dir, "--layers", "4"]), weight)
        {
            Partners = [partner],
        };

    private static FuzzTarget Model(string name, byte[] seed, FuzzSeeds seeds) =>
        new(name, "model.safetensors", seed, Safetensors(seed, [.. FormatTokens.Safetensors, .. FormatTokens.ModelMetadata]), (_, file, variant) => variant % 8 == 0
            ? new FuzzCommand(["diagnose", "--model", file, "--data", seeds.CsvPath, "--steps", "2", "--json"], FuzzOutput.Diagnose, null)
            : new FuzzCommand(["inspect", "--model", file, "--data", seeds.CsvPath, "--json"], FuzzOutput.Inspect, null), 9);

    private static Gen<Mutation> Gzipped(byte[] seed, Gen<Mutation> inner) => Gen.Frequency(
        (3, MutationGens.Bytes), (2, MutationGens.Fields(seed, FileFields.Gzip(seed))), (3, inner.Select(m => (Mutation)new InGzip(m))));

    private static Gen<Mutation> Zip(byte[] seed, Gen<Mutation> member) => Gen.Frequency(
        (2, MutationGens.Bytes),
        (2, MutationGens.Fields(seed, FileFields.Zip(seed))),
        (1, MutationGens.Tokens(FormatTokens.ZipNames)),
        (4, Gen.Select(Gen.Int, member, (index, inner) => (Mutation)new InZipMember(index, inner))));

    private static Gen<Mutation> Safetensors(byte[] seed, (string, string)[] tokens) => Gen.Frequency(
        (2, MutationGens.Bytes),
        (2, MutationGens.Fields(seed, FileFields.Safetensors())),
        (6, Gen.Frequency((3, MutationGens.Json(HeaderSnippets)), (2, MutationGens.Tokens(tokens)), (2, MutationGens.Shapes)).Select(inner => (Mutation)new InSafetensorsHeader(inner))));

    private static Gen<Mutation> Spec((string, string)[] tokens) => Gen.Frequency(
        (6, MutationGens.Json(SpecSnippets)),
        (3, MutationGens.Tokens(tokens)),
        (1, Gen.OneOf(1, 5, 30, 62, 100, 5000).Select(depth => (Mutation)new NestResidual(depth))));
}
