using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

/// <summary>
/// The lock-free unit queue: over many blocks of different sizes (including blocks with fewer
/// units than parts), every unit is claimed exactly once, however unevenly the parts run.
/// </summary>
public sealed class GemmUnitQueueTests
{
    [Fact]
    public void OnePart_ClaimsEveryUnitInOrder()
    {
        var queue = new GemmUnitQueue();
        queue.Clear();
        var claimed = new List<int>();
        while (queue.TryClaim(1, 5, 0, 1, out int unit))
            claimed.Add(unit);
        Assert.Equal([0, 1, 2, 3, 4], claimed);
        Assert.True(queue.TryClaim(2, 1, 0, 1, out int next));
        Assert.Equal(0, next);
        Assert.False(queue.TryClaim(2, 1, 0, 1, out _));
    }

    [Fact]
    public void TwoParts_TakeTheirOwnShareFirst_ThenStealFromTheBack()
    {
        var queue = new GemmUnitQueue();
        queue.Clear();
        Assert.True(queue.TryClaim(1, 8, 0, 2, out int a) && a == 0);
        Assert.True(queue.TryClaim(1, 8, 1, 2, out int b) && b == 4);
        var rest = new List<int>();
        while (queue.TryClaim(1, 8, 1, 2, out int unit))
            rest.Add(unit);
        Assert.Equal([5, 6, 7, 3, 2, 1], rest); // its own 5-7, then part 0's share from the back
        Assert.False(queue.TryClaim(1, 8, 0, 2, out _));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void ConcurrentParts_ClaimEveryUnitExactlyOnce(int parts)
    {
        const int blocks = 400;
        int[] units = new int[blocks + 1];
        var sizes = new Random(7);
        for (int block = 1; block <= blocks; block++)
            units[block] = sizes.Next(1, 40);
        var counts = new int[blocks + 1][];
        for (int block = 1; block <= blocks; block++)
            counts[block] = new int[units[block]];

        var queue = new GemmUnitQueue();
        queue.Clear();
        var threads = new Thread[parts];
        for (int p = 0; p < parts; p++)
        {
            int part = p;
            threads[p] = new Thread(() =>
            {
                var delay = new Random(part);
                for (int block = 1; block <= blocks; block++)
                {
                    while (queue.TryClaim(block, units[block], part, parts, out int unit))
                    {
                        Interlocked.Increment(ref counts[block][unit]);
                        Thread.SpinWait(delay.Next(0, 50 * (part + 1))); // parts at different speeds
                    }
                }
            });
            threads[p].Start();
        }

        foreach (var thread in threads)
            thread.Join();
        for (int block = 1; block <= blocks; block++)
            Assert.All(counts[block], count => Assert.Equal(1, count));
    }
}
