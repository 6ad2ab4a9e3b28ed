namespace WorldModel.Models.Exploration;

/// <summary>What an exploring agent seeks in its imagined futures.</summary>
public enum ExplorationObjective
{
    /// <summary>Where the ensemble's heads disagree about the next latent (Plan2Explore, Sekar et al. 2020).</summary>
    Disagreement,
    /// <summary>Latents far from every latent already collected (nearest-neighbour novelty).</summary>
    Novelty,
}
