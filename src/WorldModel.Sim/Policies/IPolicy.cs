namespace WorldModel.Sim.Policies;

/// <summary>Acts for every world of a batch at once; each world's noise comes from its own stream.</summary>
public interface IPolicy
{
    /// <summary>
    /// Starts new episodes; called after the world's Reset (a policy may choose where episodes start).
    /// </summary>
    void Reset(ReadOnlySpan<ulong> episodeSeeds);

    /// <summary>Writes Count × ActionDim actions for the worlds' current states.</summary>
    void Act(Span<float> actions);
}
