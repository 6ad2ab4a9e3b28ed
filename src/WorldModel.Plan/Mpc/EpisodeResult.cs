namespace WorldModel.Plan.Mpc;

/// <summary>
/// One planned episode. StrictStep/LooseStep: first step within √2 px / 4.5 px of the goal, or −1.
/// PlanSeconds: this episode's share of its batch's planning time (batch time / episodes in the batch).
/// </summary>
public sealed record EpisodeResult(
    int Episode, string Kind, int TaskSteps, int Budget,
    bool Strict, bool Loose, int StrictStep, int LooseStep, int Steps,
    float FinalDistance, float MinDistance, int Replans, double PlanSeconds);
