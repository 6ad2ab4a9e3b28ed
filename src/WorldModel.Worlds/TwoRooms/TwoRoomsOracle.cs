using WorldModel.Plan.Models;
using WorldModel.Sim.Worlds;
using WorldModel.Worlds.PointAgent;

namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// The true simulator behind the planning interface in Two-Rooms. With the straight-line cost the wall is a local
/// minimum of summed distance (docs/prototype-findings.md: ~50% across rooms); the geodesic cost (the shortest
/// path through the door) removes it.
/// </summary>
public sealed class TwoRoomsOracle(TwoRoomsConfig world, OracleCost cost, CostShape shape)
    : PointAgentOracle<TwoRoomsBatch>(cost, shape)
{
    protected override TwoRoomsBatch CreateBatch(int worlds) => new(world, worlds);

    protected override float Geodesic(TwoRoomsBatch batch, int w, int e, float x, float y, float gx, float gy) =>
        TwoRoomsGeometry.ShortestPath(batch.Layouts[w], batch.WallPieces(w), x, y, gx, gy).Length;

    // With grazing counted as visible every free point has a path; 2 arena sides are longer than any of them.
    protected override float NoPathPenalty => 2 * WorldConfig.ArenaSize;
}
