namespace Gradscope.TestSupport;

/// <summary>
/// Sets environment variables for the span of a test and puts back what they were when disposed
/// (a null value unsets one). The process environment is shared: tests that use it must not run in
/// parallel with others that read the same variables.
/// </summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly List<(string Name, string? Before)> _saved = [];

    public EnvironmentScope(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            _saved.Add((name, Environment.GetEnvironmentVariable(name)));
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, before) in _saved)
            Environment.SetEnvironmentVariable(name, before);
    }
}
