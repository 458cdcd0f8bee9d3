using System.Numerics;
using System.Runtime.Intrinsics;
using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

/// <summary>
/// CI runs the suite three times: as is, with DOTNET_EnableAVX512=0 and with
/// DOTNET_EnableHWIntrinsic=0. This asserts that each run really exercised the width it claims.
/// </summary>
public sealed class SimdWidthTests
{
    [Fact]
    public void ActiveWidth_MatchesEnvironment()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.False(Vector.IsHardwareAccelerated);
            Assert.False(Elementwise.UseSimd);
            Assert.False(Vector256.IsHardwareAccelerated);
            return;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0"
            || Environment.GetEnvironmentVariable("DOTNET_EnableAVX512F") == "0")
            Assert.False(Vector512.IsHardwareAccelerated);

        Assert.True(Vector.IsHardwareAccelerated);
        Assert.True(Elementwise.UseSimd);
        Assert.True(Vector<float>.Count >= 4);
    }
}
