using System.Buffers.Binary;
using Gradscope.Memory;

namespace Gradscope.Data;

/// <summary>
/// Reads image classification sets in the IDX format of MNIST and Fashion-MNIST: a big-endian
/// int32 magic (<c>0x00000803</c> for unsigned-byte images with 3 dimensions, <c>0x00000801</c>
/// for labels with 1), one big-endian int32 per dimension, then the bytes. Files may be gzipped
/// or raw; the gzip magic decides, not the name. Pixels are scaled to [0, 1].
/// </summary>
internal static class IdxReader
{
    /// <summary>Magic number of an unsigned-byte, 3-dimensional (images) IDX file.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an unsigned-byte, 1-dimensional (labels) IDX file.</summary>
    public const int LabelsMagic = 0x00000801;

    // Larger images than this mean a corrupt header, not a data set.
    private const int MaxSide = 4096;

    /// <summary>Reads an images file and its labels file into a data set.</summary>
    /// <param name="imagesPath">The <c>*-images-idx3-ubyte[.gz]</c> file.</param>
    /// <param name="labelsPath">The <c>*-labels-idx1-ubyte[.gz]</c> file.</param>
    /// <param name="name">Name of the data set.</param>
    /// <param name="classNames">One name per class; every label must be below its count.</param>
    /// <param name="limit">Read only the first this many examples; all when null.</param>
    /// <exception cref="GradscopeException">A file is missing, has the wrong magic, absurd dimensions, is truncated, the counts differ or a label is out of range.</exception>
    /// <exception cref="MemoryLimitException">The images need more memory than the process may use.</exception>
    public static Dataset Read(string imagesPath, string labelsPath, string name, IReadOnlyList<string> classNames, int? limit = null)
    {
        if (limit is < 1)
            throw new GradscopeException($"The row limit must be at least 1, got {limit}.");

        using Stream images = DataStreams.OpenMaybeGzip(imagesPath);
        using Stream labels = DataStreams.OpenMaybeGzip(labelsPath);
        int[] imageDims = ReadHeader(images, imagesPath, ImagesMagic, "images");
        int[] labelDims = ReadHeader(labels, labelsPath, LabelsMagic, "labels");
        int count = imageDims[0], rows = imageDims[1], cols = imageDims[2];
        CheckImageDims(imagesPath, count, rows, cols);
        if (labelDims[0] != count)
            throw new GradscopeException($"{imagesPath} has {count} images but {labelsPath} has {labelDims[0]} labels; they must match one to one.");

        int take = Math.Min(count, limit ?? count);
        int pixels = rows * cols;
        MemoryBudget.Ensure(ByteCounts.DataSet(take, pixels), $"{imagesPath}: reading {take} images of {rows}x{cols}");
        var features = new double[take * pixels];
        ReadPixels(images, imagesPath, features, $"{count} images of {rows}x{cols}");
        int[] labelValues = ReadLabels(labels, labelsPath, take, count, classNames.Count);
        return new Dataset(name, features, labelValues, pixels, classNames.Count, Dataset.NumberedNames("pixel_", pixels), classNames);
    }

    private static int[] ReadHeader(Stream stream, string path, int magic, string kind)
    {
        int dims = magic & 0xff;
        Span<byte> header = stackalloc byte[4 + (4 * 3)];
        header = header[..(4 + (4 * dims))];
        int read = DataStreams.ReadUpTo(stream, header, path);
        if (read < 4)
            throw new GradscopeException($"{path}: the file is {read} bytes long, too short for an IDX header (expected {kind}, magic 0x{magic:x8}).");

        int found = BinaryPrimitives.ReadInt32BigEndian(header);
        if (found != magic)
        {
            throw new GradscopeException(
                $"{path}: wrong IDX magic number 0x{found:x8}; expected 0x{magic:x8} (unsigned-byte {kind}, {dims} dimension{(dims == 1 ? "" : "s")}). Is this the {kind} file?");
        }

        if (read < header.Length)
            throw new GradscopeException($"{path}: truncated header: {dims} dimension sizes need {header.Length} bytes, the file has {read}.");

        var sizes = new int[dims];
        for (int i = 0; i < dims; i++)
        {
            sizes[i] = BinaryPrimitives.ReadInt32BigEndian(header[(4 + (4 * i))..]);
            if (sizes[i] < 1)
                throw new GradscopeException($"{path}: dimension {i} of the IDX header is {sizes[i]}; sizes must be at least 1.");
        }

        return sizes;
    }

    private static void CheckImageDims(string path, int count, int rows, int cols)
    {
        if (rows > MaxSide || cols > MaxSide)
            throw new GradscopeException($"{path}: the IDX header says images of {rows}x{cols}; more than {MaxSide} per side means a corrupt header.");
        if ((long)count * rows * cols > Array.MaxLength)
            throw new GradscopeException($"{path}: the IDX header says {count} images of {rows}x{cols}, too many values to hold in memory; use a row limit.");
    }

    private static void ReadPixels(Stream stream, string path, double[] features, string described)
    {
        Span<byte> buffer = new byte[1 << 16];
        int done = 0;
        while (done < features.Length)
        {
            Span<byte> chunk = buffer[..Math.Min(buffer.Length, features.Length - done)];
            int read = DataStreams.ReadUpTo(stream, chunk, path);
            for (int i = 0; i < read; i++)
                features[done + i] = chunk[i] / 255.0;
            done += read;
            if (read < chunk.Length)
                throw new GradscopeException($"{path}: truncated: the header says {described}, but the file ends after {done} bytes of pixels (at least {features.Length} expected).");
        }
    }

    private static int[] ReadLabels(Stream stream, string path, int take, int count, int classCount)
    {
        var bytes = new byte[take];
        int read = DataStreams.ReadUpTo(stream, bytes, path);
        if (read < take)
            throw new GradscopeException($"{path}: truncated: the header says {count} labels, but the file ends after {read}.");

        var labels = new int[take];
        for (int i = 0; i < take; i++)
        {
            labels[i] = bytes[i];
            if (labels[i] >= classCount)
                throw new GradscopeException($"{path}: label {labels[i]} at index {i} is outside 0..{classCount - 1}.");
        }

        return labels;
    }
}
