using Gradscope.Data;

namespace Gradscope.Tests.Data;

public class CsvDataReaderTests
{
    private static Dataset Parse(string text, string? label = null) => CsvDataReader.Parse(text, "t.csv", "t", label);

    private static string Error(string text, string? label = null) =>
        Assert.Throws<GradscopeException>(() => Parse(text, label)).Message;

    [Fact]
    public void Read_File_IntegerLabelsKeepTheirValue()
    {
        using var files = new TestFiles();
        string path = files.WriteText("iris.csv", "a,b,class\n1.5,-2,2\n3e2,0.25,0\n7,8,1\n");
        var data = CsvDataReader.Read(path);
        Assert.Equal("iris", data.Name);
        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.FeatureCount);
        Assert.Equal([1.5, -2, 300, 0.25, 7, 8], data.Features);
        Assert.Equal([2, 0, 1], data.Labels);
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal(["0", "1", "2"], data.ClassNames);
    }

    [Fact]
    public void Parse_StringLabels_NumberedInSortedOrder()
    {
        var data = Parse("x,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n");
        Assert.Equal(["setosa", "versicolor", "virginica"], data.ClassNames);
        Assert.Equal([2, 0, 1, 0], data.Labels);
    }

    [Fact]
    public void Parse_SparseIntegerLabels_NumberedInNumericOrder()
    {
        var data = Parse("x,y\n1,10\n2,2\n3,9\n4,2.0\n");
        Assert.Equal(["2", "9", "10"], data.ClassNames);
        Assert.Equal([2, 0, 1, 0], data.Labels);
    }

    [Fact]
    public void Parse_LabelByName_CanBeAnyColumn()
    {
        var data = Parse("id_label,f1,f2\ncat,1,2\ndog,3,4\n", label: "ID_LABEL");
        Assert.Equal(["f1", "f2"], data.FeatureNames);
        Assert.Equal([1.0, 2, 3, 4], data.Features);
        Assert.Equal(["cat", "dog"], data.ClassNames);
    }

    [Fact]
    public void Parse_QuotedFieldsCrlfBomAndBlankLines()
    {
        string text = "\uFEFF\"width, cm\",\"say \"\"hi\"\"\",label\r\n\"1.5\",2,\"big, red\"\r\n\r\n3,4,\"two\r\nlines\"\r\n\r\n\r\n";
        var data = Parse(text);
        Assert.Equal(["width, cm", "say \"hi\""], data.FeatureNames);
        Assert.Equal([1.5, 2, 3, 4], data.Features);
        Assert.Equal(["big, red", "two\r\nlines"], data.ClassNames);
    }

    [Fact]
    public void Read_FileWithBom_HeaderNameIsClean()
    {
        using var files = new TestFiles();
        byte[] body = System.Text.Encoding.UTF8.GetBytes("a,label\n1,0\n2,1");
        string path = files.Write("bom.csv", [0xEF, 0xBB, 0xBF, .. body]);
        var data = CsvDataReader.Read(path);
        Assert.Equal("a", data.FeatureNames[0]);
        Assert.Equal([1.0, 2.0], data.Features);
    }

    [Fact]
    public void Read_GzippedFile_IsDetectedByContent()
    {
        using var files = new TestFiles();
        string path = files.Write("data.csv.gz", System.Text.Encoding.UTF8.GetBytes("a,label\n1,0\n2,1\n"), gzip: true);
        var data = CsvDataReader.Read(path);
        Assert.Equal("data", data.Name);
        Assert.Equal([0, 1], data.Labels);
    }

    [Fact]
    public void Parse_Ragged_GivesLineAndCounts()
    {
        Assert.Equal("t.csv: line 3 has 2 fields, but the header (line 1) has 3.", Error("a,b,c\n1,2,0\n1,0\n"));
    }

    [Fact]
    public void Parse_RaggedAfterMultilineField_CountsPhysicalLines()
    {
        Assert.Equal("t.csv: line 4 has 1 fields, but the header (line 1) has 2.", Error("a,c\n1,\"x\ny\"\n5\n"));
    }

    [Fact]
    public void Parse_NonNumeric_GivesLineColumnAndText()
    {
        Assert.Equal("t.csv: line 2, column 'b': expected a number, found '3,5'.", Error("a,b,c\n1,\"3,5\",0\n"));
    }

    [Fact]
    public void Parse_EmptyCell_SaysSo()
    {
        Assert.Equal("t.csv: line 3, column 'a': expected a number, found an empty cell.", Error("a,c\n1,0\n ,1\n"));
    }

    [Fact]
    public void Parse_NaNCell_Throws()
    {
        Assert.Equal("t.csv: NaN in data at line 2 column 'b'; features must be finite numbers.", Error("a,b,c\n1,nan,0\n"));
    }

    [Fact]
    public void Parse_InfinityCell_Throws()
    {
        Assert.Equal("t.csv: infinity ('-inf') in data at line 3 column 'a'; features must be finite numbers.", Error("a,c\n1,0\n-inf,1\n"));
        Assert.Equal("t.csv: infinity ('1e999') in data at line 2 column 'a'; features must be finite numbers.", Error("a,c\n1e999,0\n"));
    }

    [Fact]
    public void Parse_Empty_Throws()
    {
        Assert.Equal("t.csv: the file is empty; a CSV data set needs a header row and at least one data row.", Error("\n\r\n"));
    }

    [Fact]
    public void Parse_HeaderOnly_Throws()
    {
        Assert.Equal("t.csv: the file has a header row but no data rows.", Error("a,b\n\n"));
    }

    [Fact]
    public void Parse_UnknownLabelColumn_ListsColumns()
    {
        Assert.Equal("t.csv: there is no column named 'target' to use as the label; the columns are: a, b, c.", Error("a,b,c\n1,2,3\n", "target"));
    }

    [Fact]
    public void Parse_SingleColumn_Throws()
    {
        Assert.Equal(
            "t.csv: the header has 1 column; a CSV data set needs at least one feature column and a label column, separated by commas.",
            Error("a;b\n1;2\n"));
    }

    [Fact]
    public void Parse_UnclosedQuote_Throws()
    {
        Assert.Equal("t.csv: line 2: a quoted field opens here but its closing quote is missing (record starting at line 2).", Error("a,b\n1,\"x\n"));
    }

    [Fact]
    public void Parse_TextAfterClosingQuote_Throws()
    {
        Assert.StartsWith("t.csv: line 2: unexpected text after the closing quote of a field", Error("a,b\n\"1\"2,0\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyLabel_Throws()
    {
        Assert.Equal("t.csv: line 2: the label column 'b' is empty.", Error("a,b\n1,\n"));
    }

    [Fact]
    public void Read_MissingFile_Throws()
    {
        var e = Assert.Throws<GradscopeException>(() => CsvDataReader.Read("/no/such/file.csv"));
        Assert.StartsWith("Cannot open /no/such/file.csv: ", e.Message, StringComparison.Ordinal);
    }
}
