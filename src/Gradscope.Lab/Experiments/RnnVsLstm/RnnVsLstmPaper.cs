using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// Hochreiter and Schmidhuber (1997), Table 7: the adding problem solved by LSTM at T = 100, 500
/// and 1000, with wrong predictions of 2560 test sequences and the training sequences it took,
/// beside ours for the lengths we run the LSTM at.
/// </summary>
internal static class RnnVsLstmPaper
{
    /// <summary>The paper's rows: T, wrong predictions of 2560, training sequences until the stopping rule.</summary>
    public static IReadOnlyList<(int Length, int Wrong, long Sequences)> Table7 { get; } =
    [
        (100, 1, 74_000),
        (500, 0, 209_000),
        (1000, 1, 853_000),
    ];

    public static ResultTable Table(IReadOnlyList<RnnVsLstmRow> rows)
    {
        ResultColumn[] columns =
        [
            new("length", "T"), new("paper_wrong", "paper: wrong of 2560"), new("paper_sequences", "paper: sequences"),
            new("our_wrong", "ours: wrong of 2560"), new("our_sequences", "ours: sequences seen"), new("our_accuracy", "ours: held-out accuracy"),
        ];
        var lengths = new SortedSet<int>();
        foreach (var paper in Table7)
            lengths.Add(paper.Length);
        foreach (var row in rows)
        {
            if (row.Cell == "lstm")
                lengths.Add(row.Length);
        }

        var cells = new List<IReadOnlyList<ResultValue>>();
        foreach (int length in lengths)
        {
            if (length < 100)
                continue;
            var paper = Paper(length);
            var ours = Lstm(rows, length);
            cells.Add([
                ResultValue.Integer(length),
                paper is { } p ? ResultValue.Integer(p.Wrong) : ResultValue.Missing,
                paper is { } q ? ResultValue.Integer(q.Sequences) : ResultValue.Missing,
                ours is null ? ResultValue.Missing : ResultValue.Integer(ours.FreshWrong),
                ours is null ? ResultValue.Missing : ResultValue.Integer(ours.SequencesSeen),
                ours is null ? ResultValue.Missing : ResultValue.Percent(ours.Accuracy),
            ]);
        }

        return ResultTable.Create("LSTM on the adding problem: Hochreiter and Schmidhuber (1997) Table 7 beside ours", columns, cells);
    }

    /// <summary>Where our set-up differs from the paper's, with the settings <paramref name="o"/> used.</summary>
    public static IReadOnlyList<string> Notes(RnnVsLstmOptions o) =>
    [
        "Table 7: a prediction is wrong when its absolute error exceeds 0.04; ours are scored the same way on 2560 sequences drawn after training (another seed); '-' where one side did not run that T",
        "the paper's LSTM: 2 memory-cell blocks of size 2, no forget gate (that came with Gers et al. 2000), input-gate biases -3 and -6, SGD at learning rate 0.5, a fresh sequence for every update, "
            + "stopping when the mean absolute error fell below 0.01 on 2000 sequences",
        string.Create(CultureInfo.InvariantCulture,
            $"ours: one LSTM layer of {o.HiddenSize} units with a forget gate (initial bias {o.ForgetGateBias}), input-gate bias {(o.InputGateBias is { } ib ? ib.ToString(CultureInfo.InvariantCulture) : "PyTorch's")}, {o.Optimizer} at {o.LearningRate} with clipping at {o.ClipNorm}, mini-batches of {o.BatchSize} from sequences drawn afresh every epoch, ")
            + "a fixed budget instead of a stopping rule, and lengths of exactly T (the paper draws them from [T, 1.1 T])",
    ];

    private static (int Length, int Wrong, long Sequences)? Paper(int length)
    {
        foreach (var row in Table7)
        {
            if (row.Length == length)
                return row;
        }

        return null;
    }

    private static RnnVsLstmRow? Lstm(IReadOnlyList<RnnVsLstmRow> rows, int length)
    {
        foreach (var row in rows)
        {
            if (row.Cell == "lstm" && row.Length == length)
                return row;
        }

        return null;
    }
}
