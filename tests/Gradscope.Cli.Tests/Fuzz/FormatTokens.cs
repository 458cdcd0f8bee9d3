
namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>
/// Tokens of each format and what a mutation may put in their place: other dtypes, names, kinds
/// and keys the loaders know (or nearly know), so that mutated files get past the syntax checks
/// and reach the checks of meaning.
/// </summary>
internal static class FormatTokens
{
    public static readonly (string, string)[] Csv =
    [
        (",", ";"), ("\n", "\r\n"), ("\n", "\n\n"), ("\n", ",\n"), ("label", "a"), ("a,b", "a,a"), (",0\n", ",\n"), (",1\n", ",NaN\n"),
        (",2\n", ",two\n"), ("1", "\"1\""), ("0", "inf"), ("0", "-"), ("a,b,c,label\n", ""), ("a,b,c,label\n", "\uFEFFa,b,c,label\n"), ("\n", "\"\n"),
    ];

    public static readonly (string, string)[] Safetensors =
    [
        ("\"F32\"", "\"F16\""), ("\"F32\"", "\"BF16\""), ("\"F32\"", "\"F64\""), ("\"F32\"", "\"I32\""), ("\"F32\"", "\"U32\""), ("\"F32\"", "\"BOOL\""),
        ("\"F32\"", "\"F8_E4M3\""), ("\"F32\"", "\"f32\""), ("\"I64\"", "\"F64\""), ("\"I64\"", "\"U64\""), ("\"I64\"", "\"I32\""), ("\"I64\"", "\"U8\""),
        ("\"x\"", "\"y\""), ("\"y\"", "\"x\""), ("\"x\"", "\"X\""), ("data_offsets", "offsets"), ("dtype", "type"), ("\"shape\"", "\"shap\""),
        ("\"__metadata__\"", "\"__meta__\""),
    ];

    public static readonly (string, string)[] ModelMetadata =
    [
        ("\\\"relu\\\"", "\\\"tanh\\\""), ("\\\"relu\\\"", "\\\"frobnicate\\\""), ("\\\"tanh\\\"", "\\\"identity\\\""), ("\\\"dense\\\"", "\\\"spec\\\""),
        ("\\\"batchnorm\\\"", "\\\"layernorm\\\""), ("\\\"layernorm\\\"", "\\\"batchnorm\\\""), ("\\\"residual\\\"", "\\\"dense\\\""), ("\\\"spec\\\"", "\\\"dense\\\""),
        ("\\\"hidden\\\"", "\\\"layers\\\""), ("\\\"1\\\"", "\\\"0\\\""), ("\\\"std\\\"", "\\\"mean\\\""), ("running_var", "running_mean"),
        ("\"0.weight\"", "\"0.bias\""), ("\"2.weight\"", "\"1.weight\""), (".body.", ".proj."), ("num_batches_tracked", "num_batches"),
        ("gradscope.classes", "gradscope.class"), ("gradscope.architecture", "gradscope.arch"), ("gradscope.standardization", "gradscope.std"),
        ("\"format\":\"pt\"", "\"format\":\"tf\""), ("\\\"input\\\":3", "\\\"input\\\":2"), ("\\\"output\\\":3", "\\\"output\\\":2"),
    ];

    public static readonly (string, string)[] Npy =
    [
        ("'<f4'", "'>f4'"), ("'<f4'", "'<f8'"), ("'<f4'", "'<f2'"), ("'<f4'", "'<i4'"), ("'<f4'", "'|u1'"), ("'<f4'", "'<c8'"), ("'<f4'", "'O'"),
        ("'<f4'", "'<U1'"), ("'<i8'", "'<f8'"), ("'<i8'", "'>i8'"), ("'<i8'", "'<u8'"), ("'<i8'", "'|b1'"), ("'<i8'", "'<i4'"), ("False", "True"),
        ("'descr'", "'dtype'"), ("'", "\""), ("}", ""),
    ];

    public static readonly (string, string)[] ZipNames = [("x.npy", "y.npy"), ("y.npy", "x.npy"), ("x.npy", "x.npz"), ("x.npy", "x/npy")];

    public static readonly (string, string)[] ModelSpec =
    [
        ("\"dense\"", "\"Dense\""), ("\"units\"", "\"unit\""), ("\"tanh\"", "\"frobnicate\""), ("\"residual\"", "\"dense\""), ("\"batchnorm\"", "\"layernorm\""),
        ("\"p\":0.1", "\"p\":1"), ("\"input\":3", "\"input\":null"), ("\"output\":3", "\"output\":1"), ("\"output\":3", "\"output\":{\"units\":3}"),
        ("\"type\"", "\"module\""), ("\"layers\"", "\"layer\""),
    ];

    public static readonly (string, string)[] RunSpec =
    [
        ("\"sgd\"", "\"adam\""), ("\"sgd\"", "\"frobnicate\""), ("\"he-normal\"", "\"orthogonal:gain=1e308\""), ("\"he-normal\"", "\"normal:1e308\""),
        ("\"constant\"", "\"step\""), ("\"constant\"", "\"cosine\""), ("\"cross-entropy\"", "\"mse\""), ("\"cross-entropy\"", "\"bce\""),
        ("\"float32\"", "\"float64\""), ("\"float32\"", "\"float16\""), ("\"gradscope.run\"", "\"gradscope.spec\""), ("null", "\"\""), ("null", "0"),
        ("null", "true"), ("true", "false"), ("\"relu\"", "\"selu\""), ("\"dense\"", "\"residual\""), ("table.csv", "table.npz"), ("\"version\": 1", "\"version\": 2"),
        ("\"budget\": {", "\"budget\": {\"epochs\": 1, "), ("\"data\": {", "\"data\": {\"samples\": 5, "),
    ];
}
