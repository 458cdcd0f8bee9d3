using Gradscope.Lab.Live;

namespace Gradscope.Lab.Tests.Live;

public sealed class PrincipalPlaneTests
{
    [Fact]
    public void Project_PointsOnALineIn3D_LieOnTheFirstAxis_WithTheirDistances()
    {
        // Points t * (1, 2, 2) / 3 + (5, 5, 5): one direction, unit speed.
        double[] ts = [-2, -1, 0, 1, 2];
        var points = new double[ts.Length * 3];
        for (int i = 0; i < ts.Length; i++)
        {
            points[(i * 3) + 0] = 5 + (ts[i] / 3);
            points[(i * 3) + 1] = 5 + (2 * ts[i] / 3);
            points[(i * 3) + 2] = 5 + (2 * ts[i] / 3);
        }

        var projected = PrincipalPlane.Project(points, ts.Length, 3);
        for (int i = 0; i < ts.Length; i++)
        {
            Assert.Equal(ts[i], projected[i][0], 9);
            Assert.Equal(0, projected[i][1], 9);
        }

        Assert.Equal(2.0, PrincipalPlane.Covariance(points, ts.Length, 3).TotalVariance, 12);
    }

    [Fact]
    public void Project_AnAxisAlignedEllipse_PutsTheLongAxisFirst()
    {
        var points = new double[8 * 2];
        for (int i = 0; i < 8; i++)
        {
            double angle = i * Math.PI / 4;
            points[i * 2] = Math.Cos(angle);
            points[(i * 2) + 1] = 3 * Math.Sin(angle);
        }

        var projected = PrincipalPlane.Project(points, 8, 2);
        Assert.Equal(3, Math.Abs(projected[2][0]), 9);
        Assert.Equal(1, Math.Abs(projected[0][1]), 9);
    }
}
