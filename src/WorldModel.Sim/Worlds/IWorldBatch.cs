namespace WorldModel.Sim.Worlds;

/// <summary>
/// Many copies of one world stepped together on struct-of-arrays state.
/// True state is exposed for evaluation and for rendering; models never see it.
/// </summary>
public interface IWorldBatch
{
    int Count { get; }
    WorldSpec Spec { get; }

    /// <summary>Starts one episode per world; each world draws its layout and start from its own seed.</summary>
    void Reset(ReadOnlySpan<ulong> episodeSeeds);

    /// <summary>
    /// Advances every world by one step. <paramref name="actions"/> holds Count × ActionDim values;
    /// actions over the allowed norm are clipped in place, so callers record what was applied.
    /// </summary>
    void Step(Span<float> actions);

    /// <summary>Writes Count × StateDim values.</summary>
    void CopyState(Span<float> destination);

    /// <summary>Writes Count × LayoutDim values (per-episode layout: walls, door, target).</summary>
    void CopyLayout(Span<float> destination);

    /// <summary>Restores worlds from stored states and layouts (e.g. to replay or plan from a dataset).</summary>
    void Load(ReadOnlySpan<float> states, ReadOnlySpan<float> layouts);

    /// <summary>Largest action norm; longer actions are clipped.</summary>
    float ActionLimit { get; }

    /// <summary>The point success is measured on (Two-Rooms: the agent; Push-Ball: the ball).</summary>
    (float X, float Y) SuccessPoint(int world);

    /// <summary>Whether a success may count now (Push-Ball: only once the ball has nearly stopped).</summary>
    bool Settled(int world) => true;
}
