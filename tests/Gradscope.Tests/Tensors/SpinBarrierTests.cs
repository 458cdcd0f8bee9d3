using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

/// <summary>The meeting point of a parallel job's parts: holds every part until all arrive, reusable, abortable.</summary>
public sealed class SpinBarrierTests
{
    [Fact]
    public void NoPartPassesABarrier_BeforeEveryPartHasReachedIt()
    {
        const int parts = 3, rounds = 2000;
        var barrier = new SpinBarrier();
        barrier.Reset();
        var reached = new int[parts];
        int violations = 0;
        var threads = new Thread[parts];
        for (int p = 0; p < parts; p++)
        {
            int part = p;
            threads[p] = new Thread(() =>
            {
                for (int round = 1; round <= rounds; round++)
                {
                    Volatile.Write(ref reached[part], round);
                    barrier.Wait(parts, "failed");
                    for (int other = 0; other < parts; other++)
                    {
                        if (Volatile.Read(ref reached[other]) < round)
                            Interlocked.Increment(ref violations);
                    }
                }
            });
            threads[p].Start();
        }

        foreach (var thread in threads)
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a part never left its barrier");
        Assert.Equal(0, violations);
    }

    [Fact]
    public void Abort_ReleasesAPartWaiting_WithTheGivenMessage()
    {
        var barrier = new SpinBarrier();
        barrier.Reset();
        Exception? caught = null;
        var waiter = new Thread(() =>
        {
            try
            {
                barrier.Wait(2, "The other half of this batch failed.");
            }
            catch (Exception ex)
            {
                caught = ex;
            }
        });
        waiter.Start();
        Thread.Sleep(20);
        barrier.Abort();
        Assert.True(waiter.Join(TimeSpan.FromSeconds(10)), "the waiting part was not released");
        Assert.IsType<InvalidOperationException>(caught);
        Assert.Equal("The other half of this batch failed.", caught!.Message);

        barrier.Reset(); // the next job starts clean
        var partner = new Thread(() => barrier.Wait(2, "failed"));
        partner.Start();
        barrier.Wait(2, "failed");
        Assert.True(partner.Join(TimeSpan.FromSeconds(10)));
    }
}
