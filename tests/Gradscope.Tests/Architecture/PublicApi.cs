using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gradscope.Tests.Architecture;

/// <summary>
/// An assembly's public surface as text: every type a user outside the assembly can name, then its
/// public and protected members, one line each, sorted so the text changes only when the API does.
/// Compared with a checked-in snapshot, so a change to the API is a visible diff in review.
/// Linked into the Lab test project too.
/// </summary>
internal static class PublicApi
{
    /// <summary>Setting this variable to 1 rewrites the snapshot instead of comparing with it.</summary>
    public const string UpdateVariable = "GRADSCOPE_UPDATE_API_SNAPSHOT";

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The lines of the surface and how many types and members it has.</summary>
    public static (List<string> Lines, int Types, int Members) Of(Assembly assembly)
    {
        var lines = new List<string>();
        int types = 0, members = 0;
        foreach (var type in assembly.GetTypes().Where(IsVisible).OrderBy(t => TypeName(t), StringComparer.Ordinal))
        {
            types++;
            lines.Add(TypeLine(type));
            var memberLines = MemberLines(type).Order(StringComparer.Ordinal).ToList();
            members += memberLines.Count;
            lines.AddRange(memberLines.Select(m => "  " + m));
        }

        return (lines, types, members);
    }

    /// <summary>
    /// Compares the surface with the snapshot next to the calling test (or rewrites it when
    /// <see cref="UpdateVariable"/> is 1) and returns what differs, empty when nothing does.
    /// </summary>
    public static string Compare(Assembly assembly, string snapshotName, [CallerFilePath] string caller = "")
    {
        var (lines, types, members) = Of(assembly);
        string header = $"# Public API of {assembly.GetName().Name}: {types} types, {members} members. Regenerate: {UpdateVariable}=1 dotnet test";
        string actual = header + "\n" + string.Join("\n", lines) + "\n";
        string path = Path.Combine(Path.GetDirectoryName(caller)!, snapshotName);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            return "";
        }

        string expected = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        return expected == actual ? "" : Diff(path, expected, actual);
    }

    private static string Diff(string path, string expected, string actual)
    {
        var before = Qualified(expected);
        var after = Qualified(actual);
        var removed = before.Except(after).Select(l => "- " + l);
        var added = after.Except(before).Select(l => "+ " + l);
        var changes = removed.Concat(added).ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"The public API differs from {path} ({changes.Count} lines):");
        foreach (string line in changes.Take(200))
            text.AppendLine(line);
        if (changes.Count > 200)
            text.AppendLine(CultureInfo.InvariantCulture, $"... and {changes.Count - 200} more");
        text.AppendLine(CultureInfo.InvariantCulture, $"If the change is intended, rerun the test with {UpdateVariable}=1 to rewrite the snapshot, and commit it.");
        return text.ToString();
    }

    // Each member line prefixed with its type's line, so a diff says whose member changed.
    private static List<string> Qualified(string text)
    {
        var lines = new List<string>();
        string type = "";
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("  ", StringComparison.Ordinal))
                type = line;
            lines.Add(line.StartsWith("  ", StringComparison.Ordinal) ? $"{type} :: {line.Trim()}" : line);
        }

        return lines;
    }

    private static bool IsVisible(Type type) =>
        type.IsNested
            ? (type.IsNestedPublic || type.IsNestedFamily || type.IsNestedFamORAssem) && IsVisible(type.DeclaringType!)
            : type.IsPublic;

    private static string TypeLine(Type type)
    {
        string kind = type.IsEnum ? "enum"
            : type.IsInterface ? "interface"
            : typeof(Delegate).IsAssignableFrom(type.BaseType) ? "delegate"
            : type.IsValueType ? (type.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly struct" : "struct")
            : type.IsAbstract && type.IsSealed ? "static class"
            : type.IsAbstract ? "abstract class"
            : type.IsSealed ? "sealed class"
            : "class";
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && !type.IsEnum && kind != "delegate")
            bases.Add(TypeName(baseType));
        var inherited = type.BaseType?.GetInterfaces() ?? [];
        bases.AddRange(type.GetInterfaces().Where(i => !inherited.Contains(i) && i.IsVisible).Select(TypeName).Order(StringComparer.Ordinal));
        return $"{kind} {TypeName(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}";
    }

    private static IEnumerable<string> MemberLines(Type type)
    {
        bool unsealed = !type.IsSealed;
        foreach (var member in type.GetMembers(Declared))
        {
            if (member.Name.StartsWith('<') || member is Type)
                continue;
            string? line = member switch
            {
                ConstructorInfo c when Visible(c, unsealed) => $"{Modifiers(c)}ctor({Parameters(c)})",
                MethodInfo m when Visible(m, unsealed) && (!m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal))
                    => $"{Modifiers(m)}{TypeName(m.ReturnType)} {m.Name}{GenericArguments(m)}({Parameters(m)})",
                PropertyInfo p => Property(p, unsealed),
                FieldInfo f when Visible(f, unsealed) && !f.IsSpecialName => Field(type, f),
                EventInfo e when e.AddMethod is { } add && Visible(add, unsealed) => $"{Modifiers(add)}event {TypeName(e.EventHandlerType!)} {e.Name}",
                _ => null,
            };
            if (line is not null)
                yield return line;
        }
    }

    private static bool Visible(MethodBase method, bool unsealed) => method.IsPublic || unsealed && (method.IsFamily || method.IsFamilyOrAssembly);

    private static bool Visible(FieldInfo field, bool unsealed) => field.IsPublic || unsealed && (field.IsFamily || field.IsFamilyOrAssembly);

    private static string Modifiers(MethodBase method)
    {
        var text = new StringBuilder(method.IsPublic ? "" : "protected ");
        if (method.IsStatic)
            text.Append("static ");
        if (method.IsAbstract && (!method.DeclaringType!.IsInterface || method.IsStatic))
            text.Append("abstract ");
        else if (method is MethodInfo info && method.IsVirtual && !method.IsFinal && !method.DeclaringType!.IsInterface)
            text.Append(info.GetBaseDefinition() == info ? "virtual " : "override ");
        return text.ToString();
    }

    private static string? Property(PropertyInfo property, bool unsealed)
    {
        var accessors = new List<string>();
        if (property.GetMethod is { } get && Visible(get, unsealed))
            accessors.Add("get;");
        if (property.SetMethod is { } set && Visible(set, unsealed))
        {
            bool init = set.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
            accessors.Add(init ? "init;" : "set;");
        }

        if (accessors.Count == 0)
            return null;
        var accessor = property.GetMethod ?? property.SetMethod!;
        var index = property.GetIndexParameters();
        string name = index.Length > 0 ? $"this[{string.Join(", ", index.Select(Parameter))}]" : property.Name;
        return $"{Modifiers(accessor)}{TypeName(property.PropertyType)} {name} {{ {string.Join(" ", accessors)} }}";
    }

    private static string Field(Type type, FieldInfo field)
    {
        if (type.IsEnum)
            return $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}";
        string prefix = (field.IsPublic ? "" : "protected ") + (field.IsLiteral ? "const " : field.IsStatic ? "static " : "") + (field.IsInitOnly ? "readonly " : "");
        string value = field.IsLiteral ? " = " + Literal(field.GetRawConstantValue()) : "";
        return $"{prefix}{TypeName(field.FieldType)} {field.Name}{value}";
    }

    private static string GenericArguments(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Parameters(MethodBase method) =>
        (method.IsDefined(typeof(ExtensionAttribute)) ? "this " : "") + string.Join(", ", method.GetParameters().Select(Parameter));

    private static string Parameter(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        string modifier = !type.IsByRef ? ""
            : parameter.IsOut ? "out "
            : parameter.IsIn ? "in "
            : "ref ";
        if (parameter.IsDefined(typeof(ParamArrayAttribute)))
            modifier = "params ";
        string name = $"{modifier}{TypeName(type.IsByRef ? type.GetElementType()! : type)} {parameter.Name}";
        return parameter.HasDefaultValue ? $"{name} = {Literal(parameter.RawDefaultValue)}" : name;
    }

    private static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void",
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte",
        [typeof(short)] = "short",
        [typeof(ushort)] = "ushort",
        [typeof(int)] = "int",
        [typeof(uint)] = "uint",
        [typeof(long)] = "long",
        [typeof(ulong)] = "ulong",
        [typeof(float)] = "float",
        [typeof(double)] = "double",
        [typeof(decimal)] = "decimal",
        [typeof(char)] = "char",
        [typeof(string)] = "string",
        [typeof(object)] = "object",
    };

    /// <summary>A C#-like name: namespace, declaring types, generic arguments, keywords for the built-in types.</summary>
    public static string TypeName(Type type)
    {
        if (Keywords.TryGetValue(type, out string? keyword))
            return keyword;
        if (type.IsGenericParameter)
            return type.Name;
        if (type.IsByRef)
            return TypeName(type.GetElementType()!) + "&";
        if (type.IsPointer)
            return TypeName(type.GetElementType()!) + "*";
        if (type.IsArray)
            return TypeName(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return TypeName(underlying) + "?";
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
            name = name[..tick];
        string outer = type.IsNested ? TypeName(type.DeclaringType!) : type.Namespace ?? "";
        var arguments = type.GetGenericArguments().Skip(type.IsNested ? type.DeclaringType!.GetGenericArguments().Length : 0).ToArray();
        string generic = arguments.Length > 0 ? "<" + string.Join(", ", arguments.Select(TypeName)) + ">" : "";
        return (outer.Length > 0 ? outer + "." : "") + name + generic;
    }
}
