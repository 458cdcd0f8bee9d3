using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Gradscope.Tests.Architecture;

/// <summary>
/// Which namespace of an assembly uses which, read from its metadata: base types, interfaces,
/// field and method signatures, and the type, method and field tokens in every method body, so a
/// use inside a method counts as much as one in a signature.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly MetadataReader _reader;
    private readonly Dictionary<string, HashSet<string>> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), SortedSet<string>> _users = [];
    private string _currentType = "";

    private NamespaceGraph(MetadataReader reader) => _reader = reader;

    public IReadOnlyDictionary<string, HashSet<string>> Edges => _edges;

    /// <summary>The types of namespace <paramref name="from"/> that use namespace <paramref name="to"/>, to say what makes a cycle.</summary>
    public IReadOnlyCollection<string> Users(string from, string to) =>
        _users.TryGetValue((from, to), out var types) ? types : [];

    public static NamespaceGraph Of(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var graph = new NamespaceGraph(pe.GetMetadataReader());
        graph.Build(pe);
        return graph;
    }

    /// <summary>The strongly connected components with more than one namespace: each is a cycle.</summary>
    public List<List<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<List<string>>();
        int counter = 0;
        foreach (string node in _edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
                Connect(node);
        }

        return cycles;

        void Connect(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (string w in _edges.TryGetValue(v, out var targets) ? targets.Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                if (!index.TryGetValue(w, out int wIndex))
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], wIndex);
                }
            }

            if (low[v] != index[v])
                return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            }
            while (x != v);
            if (component.Count > 1)
                cycles.Add([.. component.Order(StringComparer.Ordinal)]);
        }
    }

    private void Build(PEReader pe)
    {
        foreach (var handle in _reader.TypeDefinitions)
        {
            var type = _reader.GetTypeDefinition(handle);
            string from = NamespaceOf(handle);
            if (from.Length == 0)
                continue;
            _currentType = TypeName(handle);
            AddType(from, type.BaseType);
            foreach (var i in type.GetInterfaceImplementations())
                AddType(from, _reader.GetInterfaceImplementation(i).Interface);
            foreach (var f in type.GetFields())
                AddSignature(from, _reader.GetFieldDefinition(f).Signature);
            foreach (var m in type.GetMethods())
            {
                var method = _reader.GetMethodDefinition(m);
                AddSignature(from, method.Signature);
                if (method.RelativeVirtualAddress != 0)
                    AddBody(from, pe.GetMethodBody(method.RelativeVirtualAddress));
            }
        }
    }

    private void AddBody(string from, MethodBodyBlock body)
    {
        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            var opCode = ReadOpCode(ref il);
            switch (OperandSize(opCode))
            {
                case -1:
                    int count = il.ReadInt32();
                    il.Offset += 4 * count;
                    break;
                case 4 when IsToken(opCode):
                    AddToken(from, MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                default:
                    il.Offset += OperandSize(opCode);
                    break;
            }
        }

        if (!body.LocalSignature.IsNil)
            AddSignature(from, _reader.GetStandaloneSignature(body.LocalSignature).Signature);
    }

    private void AddToken(string from, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification:
                AddType(from, handle);
                break;
            case HandleKind.MethodDefinition:
                AddType(from, _reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.FieldDefinition:
                AddType(from, _reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.MemberReference:
                var member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                AddToken(from, member.Parent);
                AddSignature(from, member.Signature);
                break;
            case HandleKind.MethodSpecification:
                var spec = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                AddToken(from, spec.Method);
                AddSignature(from, spec.Signature);
                break;
        }
    }

    private void AddType(string from, EntityHandle handle)
    {
        if (handle.IsNil)
            return;
        if (handle.Kind == HandleKind.TypeSpecification)
        {
            foreach (string to in TypeSignature(_reader.GetTypeSpecification((TypeSpecificationHandle)handle).Signature))
                AddEdge(from, to);
            return;
        }

        if (handle.Kind == HandleKind.TypeDefinition)
            AddEdge(from, NamespaceOf((TypeDefinitionHandle)handle));
    }

    // Every type definition in a signature blob, generic arguments included.
    private void AddSignature(string from, BlobHandle blob)
    {
        var decoder = new SignatureDecoder<List<string>, object?>(new NamespaceCollector(this), _reader, null);
        var bytes = _reader.GetBlobReader(blob);
        var header = bytes.ReadSignatureHeader();
        bytes.Reset();
        List<List<string>> found = [];
        switch (header.Kind)
        {
            case SignatureKind.Method or SignatureKind.Property:
                var method = decoder.DecodeMethodSignature(ref bytes);
                found.Add(method.ReturnType);
                found.AddRange(method.ParameterTypes);
                break;
            case SignatureKind.Field:
                found.Add(decoder.DecodeFieldSignature(ref bytes));
                break;
            case SignatureKind.LocalVariables:
                found.AddRange(decoder.DecodeLocalSignature(ref bytes));
                break;
            case SignatureKind.MethodSpecification:
                found.AddRange(decoder.DecodeMethodSpecificationSignature(ref bytes));
                break;
        }

        foreach (var list in found)
        {
            foreach (string to in list)
                AddEdge(from, to);
        }
    }

    private List<string> TypeSignature(BlobHandle blob)
    {
        var decoder = new SignatureDecoder<List<string>, object?>(new NamespaceCollector(this), _reader, null);
        var bytes = _reader.GetBlobReader(blob);
        return decoder.DecodeType(ref bytes);
    }

    private string NamespaceOf(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
            return NamespaceOf(declaring);
        return _reader.GetString(type.Namespace);
    }

    // The outermost declaring type's name (a closure or state machine counts as its owner).
    private string TypeName(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil ? _reader.GetString(type.Name) : TypeName(declaring);
    }

    private void AddEdge(string from, string to)
    {
        if (to.Length == 0 || to == from)
            return;
        if (!_edges.TryGetValue(from, out var targets))
            _edges[from] = targets = new HashSet<string>(StringComparer.Ordinal);
        targets.Add(to);
        if (!_users.TryGetValue((from, to), out var users))
            _users[(from, to)] = users = new SortedSet<string>(StringComparer.Ordinal);
        users.Add(_currentType);
        _edges.TryAdd(to, new HashSet<string>(StringComparer.Ordinal));
    }

    private static ushort ReadOpCode(ref BlobReader il)
    {
        byte first = il.ReadByte();
        return first == 0xFE ? (ushort)(0xFE00 | il.ReadByte()) : first;
    }

    // Operand kinds of every IL opcode, from the runtime's own table (System.Reflection.Emit.OpCodes).
    private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value, o => o.OperandType);

    private static bool IsToken(ushort opCode) =>
        Operands.GetValueOrDefault(opCode) is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType;

    private static int OperandSize(ushort opCode) => Operands.GetValueOrDefault(opCode) switch
    {
        OperandType.InlineSwitch => -1,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineNone => 0,
        _ => 4,
    };

    // Decodes signatures into the namespaces of the assembly's own types they mention.
    private sealed class NamespaceCollector(NamespaceGraph graph) : ISignatureTypeProvider<List<string>, object?>
    {
        public List<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [graph.NamespaceOf(handle)];

        public List<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [];

        public List<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            graph.TypeSignature(reader.GetTypeSpecification(handle).Signature);

        public List<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];

        public List<string> GetGenericInstantiation(List<string> genericType, ImmutableArray<List<string>> typeArguments)
        {
            var all = new List<string>(genericType);
            foreach (var argument in typeArguments)
                all.AddRange(argument);
            return all;
        }

        public List<string> GetArrayType(List<string> elementType, ArrayShape shape) => elementType;

        public List<string> GetSZArrayType(List<string> elementType) => elementType;

        public List<string> GetByReferenceType(List<string> elementType) => elementType;

        public List<string> GetPointerType(List<string> elementType) => elementType;

        public List<string> GetPinnedType(List<string> elementType) => elementType;

        public List<string> GetModifiedType(List<string> modifier, List<string> unmodifiedType, bool isRequired) => unmodifiedType;

        public List<string> GetFunctionPointerType(MethodSignature<List<string>> signature) => signature.ReturnType;

        public List<string> GetGenericMethodParameter(object? genericContext, int index) => [];

        public List<string> GetGenericTypeParameter(object? genericContext, int index) => [];
    }
}
