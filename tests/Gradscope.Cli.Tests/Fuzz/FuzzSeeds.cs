using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Gradscope.Data;
using Gradscope.Serialization.Safetensors;
using Gradscope.Tests.Data;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>
/// The valid files the fuzzer mutates, made once: one small table (36 rows, 3 features, 3 classes)
/// as CSV, gzipped CSV, stored and deflated .npz and safetensors; an IDX pair (the images also gzipped); a model spec; models
/// saved by <c>train --save</c> (a plain chain, and the spec's batch norm, layer norm and residual
/// block); a run description from <c>train --print-spec</c>.
/// </summary>
internal sealed class FuzzSeeds
{
    public const int Rows = 36;
    public const int Features = 3;

    private const string SpecText =
        """{"input":3,"layers":[{"type":"dense","units":4},{"type":"batchnorm"},{"type":"activation","name":"tanh"},""" +
        """{"type":"residual","layers":[{"type":"dense","units":4},{"type":"layernorm"},{"type":"activation","name":"relu"}]},""" +
        """{"type":"dropout","p":0.1}],"output":3}""";

    private FuzzSeeds(string dir) => Dir = dir;

    /// <summary>The folder holding the seed files; commands read the unmutated ones (the data beside a mutated model) from here.</summary>
    public string Dir { get; }

    /// <summary>The CSV seed's path: the data for mutated models, specs and run descriptions.</summary>
    public string CsvPath => Path.Combine(Dir, "table.csv");

    public byte[] Csv { get; private init; } = [];

    public byte[] CsvGzip { get; private init; } = [];

    public byte[] NpzStored { get; private init; } = [];

    public byte[] NpzDeflated { get; private init; } = [];

    public byte[] SafetensorsData { get; private init; } = [];

    public byte[] IdxImages { get; private init; } = [];

    public byte[] IdxImagesGzip { get; private init; } = [];

    public byte[] IdxLabels { get; private init; } = [];

    public byte[] ModelSpec { get; private init; } = Encoding.UTF8.GetBytes(SpecText);

    public byte[] PlainModel { get; private set; } = [];

    public byte[] SpecModel { get; private set; } = [];

    public byte[] RunSpec { get; private set; } = [];

    public static FuzzSeeds Create()
    {
        var (features, labels) = Table();
        byte[] images = Idx(IdxReader.ImagesMagic, [30, 3, 3], i => (byte)((i * 37) % 256));
        var seeds = new FuzzSeeds(CliRunner.TempDir())
        {
            Csv = CsvBytes(features, labels),
            CsvGzip = Gzip(CsvBytes(features, labels)),
            NpzStored = NpzTestWriter.Table(features, labels, deflate: false),
            NpzDeflated = NpzTestWriter.Table(features, labels, deflate: true),
            SafetensorsData = SafetensorsBytes(features, labels),
            IdxImages = images,
            IdxImagesGzip = Gzip(images),
            IdxLabels = Idx(IdxReader.LabelsMagic, [30], i => (byte)(i % 10)),
        };
        File.WriteAllBytes(seeds.CsvPath, seeds.Csv);
        seeds.PlainModel = seeds.Train("plain.safetensors", "--layers", "4");
        File.WriteAllBytes(Path.Combine(seeds.Dir, "spec.json"), seeds.ModelSpec);
        seeds.SpecModel = seeds.Train("spec.safetensors", "--model-spec", Path.Combine(seeds.Dir, "spec.json"));
        seeds.RunSpec = seeds.PrintSpec();
        return seeds;
    }

    private static (float[] Features, long[] Labels) Table()
    {
        var features = new float[Rows * Features];
        var labels = new long[Rows];
        for (int i = 0; i < Rows; i++)
        {
            labels[i] = i % 3;
            for (int j = 0; j < Features; j++)
                features[(i * Features) + j] = (float)Math.Round(((i * (j + 2)) % 7) - (labels[i] * 1.5) + (j * 0.25), 2);
        }

        return (features, labels);
    }

    private static byte[] CsvBytes(float[] features, long[] labels)
    {
        var text = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < labels.Length; i++)
        {
            for (int j = 0; j < Features; j++)
                text.Append(features[(i * Features) + j].ToString(CultureInfo.InvariantCulture)).Append(',');
            text.Append(labels[i]).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] SafetensorsBytes(float[] features, long[] labels)
    {
        using var buffer = new MemoryStream();
        var x = new SafetensorsTensor("x", "F32", [Rows, Features], Array.ConvertAll(features, f => (double)f));
        var y = new SafetensorsTensor("y", "I64", [Rows], Array.ConvertAll(labels, l => (double)l));
        SafetensorsFile.Write(buffer, [x, y], null, "seed");
        return buffer.ToArray();
    }

    private static byte[] Idx(int magic, int[] dims, Func<int, byte> value)
    {
        int count = 1;
        foreach (int d in dims)
            count *= d;
        var bytes = new byte[4 + (4 * dims.Length) + count];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        for (int i = 0; i < count; i++)
            bytes[4 + (4 * dims.Length) + i] = value(i);
        return bytes;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }

    private byte[] Train(string name, params string[] network)
    {
        string path = Path.Combine(Dir, name);
        var (exit, _, error) = CliRunner.Run(["train", "--data", CsvPath, "--epochs", "1", "--max-steps", "2", "--monitor", "off", "--save", path, .. network]);
        if (exit != 0)
            throw new InvalidOperationException($"the seed model {name} did not train: {error}");
        return File.ReadAllBytes(path);
    }

    private byte[] PrintSpec()
    {
        var (exit, output, error) = CliRunner.Run("train", "--data", CsvPath, "--layers", "4", "--epochs", "1", "--max-steps", "1", "--batch-size", "16", "--print-spec");
        if (exit != 0)
            throw new InvalidOperationException($"the seed run description did not print: {error}");
        return Encoding.UTF8.GetBytes(output);
    }
}
