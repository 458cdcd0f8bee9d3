namespace Gradscope.Layers;

/// <summary>
/// Module paths as PyTorch's state dict writes them: names joined by dots (<c>net.0</c>,
/// <c>encoder.fc1</c>), a tensor's name being the path, a dot and the parameter name.
/// </summary>
internal static class ModulePath
{
    /// <summary>Returns <paramref name="path"/> when it is a module path: non-empty names without spaces, joined by single dots.</summary>
    /// <exception cref="GradscopeException">It is not; the message says why.</exception>
    public static string Check(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
            throw new GradscopeException("A module path cannot be empty; write it as the state dict does, e.g. \"net.0\".");
        foreach (char c in path)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
                throw new GradscopeException($"The module path \"{path}\" contains a space or control character; write it as the state dict does, e.g. \"net.0\".");
        }

        if (path[0] == '.' || path[^1] == '.' || path.Contains("..", StringComparison.Ordinal))
            throw new GradscopeException($"The module path \"{path}\" has an empty name between dots; write it as the state dict does, e.g. \"net.0\".");
        return path;
    }

    /// <summary><paramref name="parent"/> and <paramref name="name"/> joined by a dot; just the name at the root.</summary>
    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;
}
