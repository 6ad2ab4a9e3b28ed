using WorldModel.Plan.Models;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.Maze;

/// <summary>
/// The true simulator behind the planning interface in a maze: the geodesic is the exact shortest path through
/// the maze (<see cref="MazeGeodesic"/>), its field built once per episode's goal and layout, not per candidate or
/// step.
/// </summary>
public sealed class MazeOracle(MazeConfig world, OracleCost cost, CostShape shape)
    : PointAgentOracle<MazeBatch>(cost, shape)
{
    private MazeGeodesic?[] _fields = [];

    public override void SetGoals(Observations goals)
    {
        base.SetGoals(goals);
        _fields = new MazeGeodesic?[Goals.Length / 2];
    }

    protected override MazeBatch CreateBatch(int worlds) => new(world, worlds);

    protected override void Prepare(MazeBatch batch, int episodes, int candidates)
    {
        if (Cost != OracleCost.Geodesic) return;
        for (int e = 0; e < episodes; e++)
        {
            // A field stays valid while the episode's layout is the same (goals change only with SetGoals).
            var geometry = batch.Geometry(e * candidates);
            if (_fields[e] is { } f && f.Layout == geometry.Layout) continue;
            _fields[e] = new MazeGeodesic(geometry, Goals[2 * e], Goals[2 * e + 1]);
        }
    }

    protected override float Geodesic(MazeBatch batch, int w, int e, float x, float y, float gx, float gy) =>
        _fields[e]!.Distance(x, y);

    // 4 arena sides are longer than any path through a maze of at most 4 × 4 cells (16 cells of 14 px).
    protected override float NoPathPenalty => 4 * WorldConfig.ArenaSize;
}
