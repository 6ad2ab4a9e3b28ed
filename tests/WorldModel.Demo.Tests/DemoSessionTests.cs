using WorldModel.Demo;

namespace WorldModel.Demo.Tests;

[Collection("demo")]
public sealed class DemoSessionTests(DemoFixture fixture)
{
    private DemoSession Session(string model) => new(fixture.Models, new DemoSettings { Model = model });

    [Fact]
    public void ShippedJepaReachesANearbyGoalAndExplainsItsPlan()
    {
        using var session = Session(DemoModels.Jepa);
        session.SetGoal(20, 36); // ~11 px from the start, same room
        var seen = new List<DemoSnapshot>();
        session.RunBlocking(seen.Add, maxSteps: 60);
        var last = session.Latest;
        Assert.Equal("reached", last.Status);
        Assert.True(last.Distance <= last.SuccessRadius, $"distance {last.Distance}");
        // Every step showed a planned path read from predicted latents, sampled plans and costs, and
        // the pixel model's imagination beside the real frame.
        var steps = seen.Skip(1).ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, s =>
        {
            Assert.Equal((s.Settings.PlannerHorizon + 1) * 2, s.PlannedPath.Length);
            Assert.Contains("probe", s.PathSource);
            Assert.Equal(DemoSession.CandidatesShown, s.Candidates.Length);
            Assert.Equal(s.Settings.Iterations, s.CostPerIteration.Length);
            Assert.NotNull(s.RealFrame);
            Assert.NotEmpty(s.Imagined);
        });
        // The planned path starts near the agent: the probe reads positions, not noise.
        var first = steps[0];
        float dx = first.PlannedPath[0] - seen[0].Agent[0], dy = first.PlannedPath[1] - seen[0].Agent[1];
        Assert.True(MathF.Sqrt(dx * dx + dy * dy) < 4,
            $"path starts {MathF.Sqrt(dx * dx + dy * dy):F1} px from the agent");
    }

    [Fact]
    public void ProbesReadPositionsFarBetterThanTheMean()
    {
        // Predicting the arena's mean position misses by ~16 px on average (uniform over a 56-wide arena).
        Assert.True(fixture.Models.JepaModel!.Probe.Rmse < 3,
            $"JEPA probe RMSE {fixture.Models.JepaModel.Probe.Rmse:F2} px");
        Assert.True(fixture.Models.PixelModel!.Probe.Rmse < 3,
            $"pixel probe RMSE {fixture.Models.PixelModel.Probe.Rmse:F2} px");
    }

    [Fact]
    public void TheWallTrapsTheStraightLineOracleButNotTheGeodesicOne()
    {
        // What the demo teaches with the true simulator: summed straight-line distance has a local minimum at the wall.
        using var geodesic = Session(DemoModels.Oracle);
        geodesic.SetGoal(50, 40);
        geodesic.RunBlocking(null, maxSteps: 120);
        Assert.Equal("reached", geodesic.Latest.Status);

        using var straight = Session("oracle-straight");
        straight.SetGoal(50, 40);
        straight.RunBlocking(null, maxSteps: 120);
        Assert.NotEqual("reached", straight.Latest.Status);
        Assert.True(straight.Latest.Agent[0] < 33,
            $"the straight-line agent crossed the wall (x = {straight.Latest.Agent[0]:F1})");
    }

    [Fact]
    public void PositionsInsideTheWallOrOutsideTheArenaAreRefused()
    {
        using var session = Session(DemoModels.Oracle);
        Assert.Null(session.PositionProblem(20, 36));
        Assert.Contains("outside the free arena", session.PositionProblem(100, 3));
        Assert.NotNull(session.PositionProblem(32, 40)); // in the wall
        Assert.NotNull(session.PositionProblem(float.NaN, 3));
    }

    [Fact]
    public void RecordingWritesAGifWithOneFramePerStepAndAStrip()
    {
        using var session = Session(DemoModels.Oracle);
        string folder = Path.Combine(Path.GetTempPath(), "wm-demo-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string gif = Path.Combine(folder, "episode.gif"), strip = Path.Combine(folder, "episode.png");
            Directory.CreateDirectory(folder);
            int frames = DemoRecorder.Record(session, gif, strip, maxSteps: 30);
            Assert.Equal(session.Latest.Step + 1, frames);
            Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(gif), 0, 6));
            var png = File.ReadAllBytes(strip);
            Assert.Equal(0x89, png[0]);
            // The strip is 6 frames wide (256 px each, 4 px apart): width at bytes 16–19 of the IHDR chunk.
            int width = png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
            Assert.Equal(6 * DemoSession.DisplaySize + 5 * 4, width);
        }
        finally { Directory.Delete(folder, true); }
    }
}
