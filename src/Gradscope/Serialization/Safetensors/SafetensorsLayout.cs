namespace Gradscope.Serialization.Safetensors;

/// <summary>
/// Checks the rules the safetensors specification puts on data offsets: each tensor spans exactly
/// shape x dtype bytes, and together the tensors cover the data after the header with no hole and
/// no overlap, ending exactly at the end of the file.
/// </summary>
internal static class SafetensorsLayout
{
    /// <summary>Validates the entries and returns them in data order (by begin, then end, then header order).</summary>
    public static List<SafetensorsEntry> Validate(List<SafetensorsEntry> entries, long dataLength, string source)
    {
        foreach (var entry in entries)
            CheckSpan(entry, dataLength, source);

        var sorted = new List<SafetensorsEntry>(entries);
        sorted.Sort(CompareByOffsets);
        long covered = 0;
        SafetensorsEntry? previous = null;
        foreach (var entry in sorted)
        {
            if (entry.Begin != covered)
                throw Discontinuity(previous, entry, covered, source);
            covered = entry.End;
            previous = entry;
        }

        if (covered != dataLength)
        {
            throw SafetensorsHeader.Fail(source, $"the tensors cover {covered} bytes of data but {dataLength} bytes follow the header: " +
                $"the last {dataLength - covered} bytes belong to no tensor");
        }

        return sorted;
    }

    private static void CheckSpan(SafetensorsEntry entry, long dataLength, string source)
    {
        string name = entry.Name;
        if (entry.End < entry.Begin)
            throw SafetensorsHeader.Fail(source, $"tensor '{name}' has data_offsets [{entry.Begin}, {entry.End}]: the end is before the begin");
        int size = SafetensorsDType.SizeOf(entry.DType);
        string shape = SafetensorsTensor.FormatShape(entry.Shape);
        if (entry.ElementCount > long.MaxValue / size)
            throw SafetensorsHeader.Fail(source, $"tensor '{name}' is {shape} {entry.DType}, more bytes than a 64-bit offset can address");
        long expected = entry.ElementCount * size;
        long span = entry.End - entry.Begin;
        if (expected != span)
            throw SafetensorsHeader.Fail(source, $"tensor '{name}' is {shape} {entry.DType} = {expected} bytes but its offsets span {span}");
        if (entry.End > dataLength)
        {
            throw SafetensorsHeader.Fail(source, $"tensor '{name}' has data_offsets [{entry.Begin}, {entry.End}] but only {dataLength} bytes " +
                "of data follow the header; the file is truncated");
        }
    }

    private static GradscopeException Discontinuity(SafetensorsEntry? previous, SafetensorsEntry entry, long covered, string source)
    {
        if (previous is null)
        {
            return SafetensorsHeader.Fail(source, $"the first tensor, '{entry.Name}', begins at data byte {entry.Begin}, not 0: " +
                $"{entry.Begin} bytes belong to no tensor (a hole)");
        }

        if (entry.Begin > covered)
        {
            return SafetensorsHeader.Fail(source, $"tensor '{previous.Name}' ends at data byte {covered} but the next tensor, '{entry.Name}', " +
                $"begins at {entry.Begin}: {entry.Begin - covered} bytes belong to no tensor (a hole)");
        }

        return SafetensorsHeader.Fail(source, $"tensor '{entry.Name}' (data bytes {entry.Begin} to {entry.End}) overlaps " +
            $"tensor '{previous.Name}' (data bytes {previous.Begin} to {previous.End})");
    }

    private static int CompareByOffsets(SafetensorsEntry a, SafetensorsEntry b)
    {
        int byBegin = a.Begin.CompareTo(b.Begin);
        if (byBegin != 0)
            return byBegin;
        int byEnd = a.End.CompareTo(b.End);
        return byEnd != 0 ? byEnd : a.HeaderIndex.CompareTo(b.HeaderIndex);
    }
}
