namespace Gradscope.Cli.Tests.Traces;

/// <summary>
/// <c>diagnose --trace</c> on damaged traces: every mutation of a valid hook trace (bytes flipped,
/// lines cut, dropped or repeated, numbers replaced) ends in a diagnosis (exit 0 or 1) or in one
/// line of error naming the file (exit 1), never a stack trace or an internal error.
/// </summary>
public sealed class TraceMutationTests
{
    [Fact]
    public void DiagnoseTrace_MutatedTraces_FailCleanly()
    {
        string dir = CliRunner.TempDir();
        string original = File.ReadAllText(HookTraces.Write(Path.Combine(dir, "seed.jsonl"), HookTraces.Mlp(4, 8, 4, 2, "tanh", 1), 12, 0.5));
        var random = new Random(18);
        string path = Path.Combine(dir, "mutant.jsonl");
        for (int i = 0; i < 120; i++)
        {
            File.WriteAllText(path, Mutate(original, random));

            var (exit, output, error) = CliRunner.Run("diagnose", "--trace", path, "--json");

            Assert.True(exit is 0 or 1, $"mutant {i}: exit {exit}: {error}");
            Assert.DoesNotContain("internal error", error);
            Assert.DoesNotContain("   at ", error);
            if (output.Length == 0)
            {
                Assert.Contains("mutant.jsonl", error);
                Assert.Single(error.TrimEnd('\n').Split('\n'));
            }
        }
    }

    private static string Mutate(string text, Random random)
    {
        var lines = new List<string>(text.Split('\n'));
        int line = random.Next(lines.Count);
        switch (random.Next(6))
        {
            case 0:
                return text[..random.Next(text.Length)];
            case 1:
                lines.RemoveAt(line);
                break;
            case 2:
                lines.Insert(line, lines[random.Next(lines.Count)]);
                break;
            case 3:
                var chars = text.ToCharArray();
                chars[random.Next(chars.Length)] = "{}[]\",:0-9enull"[random.Next(15)];
                return new string(chars);
            case 4:
                lines[line] = lines[line].Replace("0.", random.Next(3) switch { 0 => "\"x\"", 1 => "-1e999", _ => "null" }, StringComparison.Ordinal);
                break;
            default:
                lines[line] = lines[line].Replace("\"version\":2", "\"version\":" + random.Next(-1, 4), StringComparison.Ordinal)
                    .Replace("[", "[1,", StringComparison.Ordinal);
                break;
        }

        return string.Join('\n', lines);
    }
}
