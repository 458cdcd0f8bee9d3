using Gradscope.Lab.Experiments;

namespace Gradscope.Lab.Tests.Experiments;

public sealed class DepthScanAndHe2015FailureTests : IDisposable
{
    private readonly string _empty = Directory.CreateTempSubdirectory("gradscope-he2015-").FullName;

    public void Dispose() => Directory.Delete(_empty, recursive: true);

    [Fact]
    public void He2015_MissingFashionMnist_ThrowsItsMessageUnwrapped()
    {
        // Both parallel trials fail to load the data; the caller must see the data's message, not an AggregateException.
        var error = Assert.Throws<GradscopeException>(() => new He2015Experiment().Run(new ExperimentSettings { Quick = false, DataDir = _empty }));

        Assert.Contains("fashion-mnist", error.Message, StringComparison.Ordinal);
        Assert.Contains(_empty, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DepthScan_Cancelled_StopsWithOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new DepthScanExperiment().Run(new ExperimentSettings { Quick = true, Cancellation = cancel.Token }));
    }
}
