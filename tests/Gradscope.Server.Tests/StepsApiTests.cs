namespace Gradscope.Server.Tests;

public sealed class StepsApiTests
{
    // The step API writes statistics with 7 significant digits.
    internal static void AssertSevenDigits(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 5e-7 * Math.Abs(expected), $"expected {expected:R} to 7 digits, got {actual:R}");

    [Fact]
    public async Task Steps_Small_ReturnsEveryStepOfTheChosenLayersAndStats()
    {
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, layers: 12, steps: 40);
        await using var harness = await ServerHarness.Start(store);

        var steps = await harness.GetJson($"/api/runs/{id}/steps?from=5&to=14&layers=2,5-7&stats=grad_rms,dead");

        Assert.Equal(Enumerable.Range(5, 10), steps.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal([2, 5, 6, 7], steps.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("layer").GetInt32()));
        Assert.Equal("layers.4", steps.GetProperty("layers")[1].GetProperty("name").GetString());
        var dead = steps.GetProperty("stats").GetProperty("dead");
        // dead is statistic 7; layer 6 is index 5; row 3 is step 8.
        AssertSevenDigits(TestRuns.Value(7, 5, 8), dead[3][2].GetDouble());
        AssertSevenDigits(TestRuns.Value(1, 1, 5), steps.GetProperty("stats").GetProperty("grad_rms")[0][0].GetDouble());
        Assert.False(steps.GetProperty("stats").TryGetProperty("delta_rms", out _));
        Assert.Equal(10, steps.GetProperty("loss").GetArrayLength());
        Assert.Equal(10, steps.GetProperty("total_steps").GetInt32());
        Assert.False(steps.GetProperty("downsampled").GetBoolean());
    }

    [Theory]
    [InlineData("layers=0")]
    [InlineData("layers=13")]
    [InlineData("layers=5-2")]
    [InlineData("layers=x")]
    [InlineData("stats=nope")]
    [InlineData("from=abc")]
    [InlineData("from=9&to=3")]
    [InlineData("max_points=1e9x")]
    public async Task Steps_BadQuery_Is400Problem(string query)
    {
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, layers: 12, steps: 5);
        await using var harness = await ServerHarness.Start(store);
        using var response = await harness.Client.GetAsync($"/api/runs/{id}/steps?{query}");
        await ServerHarness.Problem(response, 400);
    }

    [Fact]
    public async Task Steps_MaxPoints_IsClamped()
    {
        string store = TestRuns.TempStore();
        string id = TestRuns.Save(store, layers: 2, steps: 100);
        await using var harness = await ServerHarness.Start(store);
        var steps = await harness.GetJson($"/api/runs/{id}/steps?max_points=0");
        Assert.Equal(2, steps.GetProperty("steps").GetArrayLength());
        Assert.True(steps.GetProperty("downsampled").GetBoolean());
    }
}

/// <summary>A 100-layer, 10,000-step run written straight into a store, shared by the tests that need it.</summary>
public sealed class LargeRunFixture : IDisposable
{
    public const int Layers = 100;
    public const int Steps = 10_000;

    public LargeRunFixture()
    {
        Store = TestRuns.TempStore();
        Id = TestRuns.Save(Store, Layers, Steps, histogramsEvery: 0);
    }

    public string Store { get; }

    public string Id { get; }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Store)!, recursive: true);
}

public sealed class LargeRunStepsTests(LargeRunFixture run) : IClassFixture<LargeRunFixture>
{
    [Fact]
    public async Task Steps_LargeRun_DownsamplingKeepsExtremesAndEnds()
    {
        await using var harness = await ServerHarness.Start(run.Store);

        var steps = await harness.GetJson($"/api/runs/{run.Id}/steps?stats=delta_rms,grad_rms&max_points=500");

        Assert.True(steps.GetProperty("downsampled").GetBoolean());
        Assert.Equal(LargeRunFixture.Steps, steps.GetProperty("total_steps").GetInt32());
        var numbers = steps.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()).ToArray();
        Assert.InRange(numbers.Length, 2, 500);
        Assert.Equal(0, numbers[0]);
        Assert.Equal(LargeRunFixture.Steps - 1, numbers[^1]);
        Assert.True(numbers.Zip(numbers.Skip(1)).All(p => p.First <= p.Second), "steps in order");
        var delta = steps.GetProperty("stats").GetProperty("delta_rms");
        Assert.Equal(numbers.Length, delta.GetArrayLength());
        foreach (int layer in new[] { 0, 41, 99 })
        {
            var series = delta.EnumerateArray().Select(row => row[layer].GetDouble()).ToArray();
            var truth = Enumerable.Range(0, LargeRunFixture.Steps).Select(s => TestRuns.Value(3, layer, s)).ToArray();
            StepsApiTests.AssertSevenDigits(truth.Max(), series.Max());
            StepsApiTests.AssertSevenDigits(truth.Min(), series.Min());
        }

        var loss = steps.GetProperty("loss").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(2.0, loss.Max(), 12);
        Assert.Equal(2.0 / (1 + ((LargeRunFixture.Steps - 1) * 0.01)), loss.Min(), 12);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Steps_LargeRun_LatencyMedianOf20()
    {
        await using var harness = await ServerHarness.Start(run.Store);
        string path = $"/api/runs/{run.Id}/steps?stats=delta_rms,grad_rms&max_points=1000";
        for (int i = 0; i < 3; i++)
            await harness.GetJson(path);
        var times = new List<double>();
        for (int i = 0; i < 20; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await harness.Client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        double median = (times[9] + times[10]) / 2;
        Console.WriteLine($"steps API, {LargeRunFixture.Layers} layers x {LargeRunFixture.Steps} steps, 2 stats, max_points 1000: median {median:F1} ms, min {times[0]:F1} ms, max {times[^1]:F1} ms over 20 warm requests");
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "steps-latency.txt"), $"{median:F1}");
        // The target is 100 ms on an idle machine; the bound here only catches a return to reading
        // every row per request (seconds), since shared CI machines are anything but idle.
        Assert.True(median < 5000, $"median {median:F1} ms");
    }
}
