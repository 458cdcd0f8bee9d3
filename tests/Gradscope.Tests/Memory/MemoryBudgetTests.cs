using Gradscope.Memory;

namespace Gradscope.Tests.Memory;

public sealed class MemoryBudgetTests
{
    [Theory]
    [InlineData("1073741824", 1073741824L)]
    [InlineData("512M", 512_000_000L)]
    [InlineData("512MB", 512_000_000L)]
    [InlineData("1.5G", 1_500_000_000L)]
    [InlineData("2Gi", 2L << 30)]
    [InlineData("64MiB", 64L << 20)]
    [InlineData(" 8k ", 8000L)]
    public void Parse_ReadsSizes(string text, long bytes) => Assert.Equal(bytes, MemoryBudget.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("-1G")]
    [InlineData("0")]
    [InlineData("5Xi")]
    [InlineData("1e3")]
    [InlineData("M")]
    public void Parse_RefusesWhatIsNotASize(string text)
    {
        var ex = Assert.Throws<GradscopeException>(() => MemoryBudget.Parse(text));
        Assert.Equal($"GRADSCOPE_MEMORY_LIMIT must be a size in bytes, like 1073741824, 512M, 1.5G or 2Gi; got '{text}'.", ex.Message);
    }

    [Fact]
    public void Override_HoldsForItsScopeOnly()
    {
        long before = MemoryBudget.AvailableBytes;
        using (MemoryBudget.Override(12345))
            Assert.Equal(12345, MemoryBudget.AvailableBytes);
        Assert.Equal(before, MemoryBudget.AvailableBytes);
    }

    [Fact]
    public void AvailableBytes_WithoutOverride_IsWhatTheGcReports()
    {
        if (MemoryBudget.FromEnvironment() is null)
            Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, MemoryBudget.AvailableBytes);
    }

    [Theory]
    [InlineData(0L, "0 bytes")]
    [InlineData(999L, "999 bytes")]
    [InlineData(54_000L, "54.0 kB")]
    [InlineData(17_200_000_000L, "17.2 GB")]
    [InlineData(185_000_000L, "185 MB")]
    public void Format_IsReadable(long bytes, string text) => Assert.Equal(text, MemoryBudget.Format(bytes));
}
