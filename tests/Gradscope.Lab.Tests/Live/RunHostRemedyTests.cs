using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Lab.Tests.Store;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Live;

public sealed class RunHostRemedyTests
{
    [Fact]
    public void StartRemedy_ReluHe_StartsAChildRunWhoseLayersAndInitAreRewritten()
    {
        string path = StoreTestRuns.TempStore();
        using var host = new RunHost(path);
        var original = HostedSpecs.Spiral(epochs: 1);
        string parent = host.Start(original, new HostedRunOptions());
        HostedSpecs.WaitForEnd(host, parent);

        string child = host.StartRemedy(parent, "relu-he", new HostedRunOptions(Tags: ["dash"]));
        HostedSpecs.WaitForEnd(host, child);

        using var store = RunStore.Open(path);
        var record = store.Find(child)!.Record;
        Assert.Equal(parent, record.ParentId);
        Assert.Contains("relu-he", record.Tags);
        Assert.Contains("serve", record.Tags);
        Assert.Contains("dash", record.Tags);
        var spec = record.Spec!;
        Assert.Equal("he-normal", spec.Init.ToSpec());
        Assert.Equal(["relu", "relu"], Activations(spec));
        Assert.Equal(["tanh", "tanh"], Activations(original));
        Assert.Equal(original.Data, spec.Data);
        Assert.Equal(original.Budget, spec.Budget);
        Assert.Equal(original.Seed, spec.Seed);
    }

    [Fact]
    public void StartRemedy_ClipAndLowerLearningRate_RewritesTheOptimizer()
    {
        string path = StoreTestRuns.TempStore();
        using var host = new RunHost(path);
        string parent = host.Start(HostedSpecs.Spiral(epochs: 1), new HostedRunOptions());
        HostedSpecs.WaitForEnd(host, parent);

        string child = host.StartRemedy(parent, "clip-lower-lr", new HostedRunOptions());
        HostedSpecs.WaitForEnd(host, child);

        using var store = RunStore.Open(path);
        var spec = store.Find(child)!.Record.Spec!;
        Assert.Equal(1.0, spec.ClipNorm);
        Assert.Equal(0.001, spec.Optimizer.LearningRate, 12);
    }

    [Fact]
    public void StartRemedy_ThatChangesNothing_IsRefused()
    {
        using var host = new RunHost(StoreTestRuns.TempStore());
        string relu = host.Start(HostedSpecs.Spiral(epochs: 1, "relu", "he-normal"), new HostedRunOptions());
        HostedSpecs.WaitForEnd(host, relu);

        var same = Assert.Throws<GradscopeException>(() => host.StartRemedy(relu, "relu-he", new HostedRunOptions()));
        Assert.Contains("unchanged", same.Message, StringComparison.Ordinal);
        var notRecurrent = Assert.Throws<GradscopeException>(() => host.StartRemedy(relu, "gru", new HostedRunOptions()));
        Assert.Contains("unchanged", notRecurrent.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<GradscopeException>(() => host.StartRemedy(relu, "magic", new HostedRunOptions()));
        Assert.Contains("magic", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Active);
    }

    [Fact]
    public void StartRemedy_ImportedRunWithoutDescription_SaysSo()
    {
        string path = StoreTestRuns.TempStore();
        var imported = StoreTestRuns.Header(new TestFlags(), new Gradscope.Diagnostics.Trace([], [], [], "identity", 1)) with { Spec = null, Status = RunStatus.Completed };
        using (var store = RunStore.Open(path))
            store.Save(imported);
        using var host = new RunHost(path);

        var ex = Assert.Throws<GradscopeException>(() => host.StartRemedy(imported.Id, "relu-he", new HostedRunOptions()));
        Assert.Contains("imported", ex.Message, StringComparison.Ordinal);
        Assert.Contains("has no run description", ex.Message, StringComparison.Ordinal);
    }

    private static List<string> Activations(RunSpec spec)
    {
        var names = new List<string>();
        foreach (var layer in spec.Network.Layers)
        {
            if (layer is ActivationSpec activation)
                names.Add(activation.Activation.Name);
        }

        return names;
    }
}
