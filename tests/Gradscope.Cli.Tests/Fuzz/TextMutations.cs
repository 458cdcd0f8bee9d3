using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Gradscope.Cli.Tests.Fuzz;

// Mutations of text formats (CSV, JSON, the .npy header's Python literal): numbers, nesting, tokens and shapes.

/// <summary>
/// Replaces the <c>Index mod count</c>-th number in the text (a run of digits with its sign,
/// fraction and exponent) by <c>Text</c>: 1e308, -1, 2147483648, a deeply nested array...
/// </summary>
internal sealed record ReplaceNumber(int Index, string Text) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        var numbers = NumberSpans(input);
        if (numbers.Count == 0)
            return input;
        var (start, length) = numbers[Wrap(Index, numbers.Count)];
        return [.. input.AsSpan(0, start), .. Encoding.UTF8.GetBytes(Text), .. input.AsSpan(start + length)];
    }

    private static List<(int Start, int Length)> NumberSpans(byte[] text)
    {
        var spans = new List<(int, int)>();
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit((char)text[i]) || (i > 0 && IsWordByte(text[i - 1])))
            {
                i++;
                continue;
            }

            int start = i > 0 && text[i - 1] == '-' ? i - 1 : i;
            while (i < text.Length && (char.IsAsciiDigit((char)text[i]) || text[i] is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-'))
                i++;
            spans.Add((start, i - start));
        }

        return spans;
    }

    // A digit right after a letter belongs to a name ("<f4", "idx3"), not a number.
    private static bool IsWordByte(byte b) => char.IsAsciiLetter((char)b) || b == '_';
}

/// <summary>Replaces the <c>Index mod count</c>-th number by <c>Depth</c> nested arrays around it: deep nesting.</summary>
internal sealed record NestNumber(int Index, int Depth) : Mutation
{
    public override byte[] Apply(byte[] input) =>
        new ReplaceNumber(Index, new string('[', Depth) + "1" + new string(']', Depth)).Apply(input);
}

/// <summary>Inserts <c>Text</c> right after the first match of <c>Anchor</c> (for example a layer list's opening bracket).</summary>
internal sealed record InsertAfter(string Anchor, string Text) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        int at = input.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Anchor));
        if (at < 0)
            return input;
        at += Encoding.UTF8.GetByteCount(Anchor);
        return [.. input.AsSpan(0, at), .. Encoding.UTF8.GetBytes(Text), .. input.AsSpan(at)];
    }
}

/// <summary>Puts <c>Depth</c> residual blocks inside each other in front of the first layer of a model spec's first layer list.</summary>
internal sealed record NestResidual(int Depth) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        int layers = input.AsSpan().IndexOf("\"layers\""u8);
        int bracket = layers < 0 ? -1 : input.AsSpan(layers).IndexOf((byte)'[');
        if (bracket < 0)
            return input;
        int at = layers + bracket + 1;
        var text = new StringBuilder();
        for (int i = 0; i < Depth; i++)
            text.Append("{\"type\":\"residual\",\"layers\":[");
        text.Append("{\"type\":\"dense\",\"units\":3}");
        for (int i = 0; i < Depth; i++)
            text.Append("]}");
        text.Append(',');
        return [.. input.AsSpan(0, at), .. Encoding.UTF8.GetBytes(text.ToString()), .. input.AsSpan(at)];
    }
}

/// <summary>Replaces occurrence <c>Index mod count</c> of <c>Old</c> by <c>New</c>: a dtype, a name or a key swapped for another the format knows.</summary>
internal sealed record ReplaceText(string Old, string New, int Index) : Mutation
{
    public override byte[] Apply(byte[] input)
    {
        byte[] old = Encoding.UTF8.GetBytes(Old);
        var found = new List<int>();
        for (int at = input.AsSpan().IndexOf(old); at >= 0; at = Next(input, old, at))
            found.Add(at);
        if (found.Count == 0)
            return input;
        int start = found[Wrap(Index, found.Count)];
        return [.. input.AsSpan(0, start), .. Encoding.UTF8.GetBytes(New), .. input.AsSpan(start + old.Length)];
    }

    private static int Next(byte[] input, byte[] old, int at)
    {
        int next = input.AsSpan(at + 1).IndexOf(old);
        return next < 0 ? -1 : at + 1 + next;
    }
}

/// <summary>
/// Reshapes the <c>Index mod count</c>-th shape in the text, a JSON array <c>[36,3]</c> or a
/// Python tuple <c>(36, 3)</c> of integers: reversed, flattened, with a 1 added or a 0 put in,
/// or its last size dropped. Most keep the element count, so the data still fits and the checks
/// behind the size check are reached.
/// </summary>
internal sealed record Reshape(int Index, int Kind) : Mutation
{
    private static readonly Regex Shapes = new(@"[\[(]\s*\d{1,9}\s*(,\s*\d{1,9}\s*)*,?\s*[\])]", RegexOptions.CultureInvariant);

    public override byte[] Apply(byte[] input)
    {
        string text = Encoding.Latin1.GetString(input);
        var matches = Shapes.Matches(text);
        if (matches.Count == 0)
            return input;
        var match = matches[Wrap(Index, matches.Count)];
        char open = match.Value[0];
        var dims = match.Value[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToList();
        var reshaped = (Kind & 7) switch
        {
            0 => Enumerable.Reverse(dims).ToList(),
            1 => [dims.Aggregate(1L, (a, b) => a * b)],
            2 => [.. dims, 1],
            3 => [1, .. dims],
            4 => [.. dims.Take(dims.Count - 1), 0],
            5 => dims.Take(dims.Count - 1).ToList(),
            6 => [.. dims, dims[^1]],
            _ => [dims[0] * 2, .. dims.Skip(1)],
        };
        string shape = open == '('
            ? "(" + string.Join(", ", reshaped) + (reshaped.Count == 1 ? ",)" : ")")
            : "[" + string.Join(",", reshaped) + "]";
        return Encoding.Latin1.GetBytes(text[..match.Index] + shape + text[(match.Index + match.Length)..]);
    }
}
