using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Data;
using WorldModel.Plan;
using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Render;
using WorldModel.Sim.Worlds;
using static WorldModel.Worlds.PushBall.PushBallBatch;

namespace WorldModel.Worlds.PushBall;

/// <summary>What Push-Ball offers each layer: its batch, how it is drawn, planned and summarised.</summary>
public sealed partial record PushBallConfig : ISceneWorld, IPlanningWorld, IDatasetWorld
{
    public override WorldSpec Spec => PushBallBatch.WorldSpec;
    public override float ActionLimit => MaxAccel;
    public override IWorldBatch CreateBatch(int count) => new PushBallBatch(this, count);

    // Scene: the border, the ball, the agent (the target is not drawn: observations show the world only).
    public ShapeKind[] ShapeKinds => [ShapeKind.Agent, ShapeKind.Ball, ShapeKind.Walls];

    public void Draw(SceneDraw draw, ReadOnlySpan<float> state, ReadOnlySpan<float> layout)
    {
        draw.Border(BorderLow, BorderHigh);
        draw.Disk(0, state[BallX], state[BallY], BallRadius, ShapeKind.Ball);
        draw.Disk(1, state[AgentX], state[AgentY], AgentRadius, ShapeKind.Agent);
    }

    public IReadOnlyList<(float X, float Y, float Radius)> Markers(ReadOnlySpan<float> layout) =>
        [(layout[0], layout[1], BallRadius)];

    // Motion frames (render.motion) draw agent and ball a step back along their velocities: a velocity input
    // drawn as pixels, near where they were a step ago (friction and contacts within the step bend the path).
    public bool HasMotion => true;

    public void Rewind(ReadOnlySpan<float> state, Span<float> before)
    {
        state.CopyTo(before);
        before[AgentX] -= state[AgentVx]; before[AgentY] -= state[AgentVy];
        before[BallX] -= state[BallVx]; before[BallY] -= state[BallVy];
    }

    // Planning: pushes drawn as the world's reset draws them; success is the ball at rest on its target.
    public IReadOnlyList<OracleCost> OracleCosts => [OracleCost.Shaped, OracleCost.Straight];
    public IPlanningModel Oracle(OracleCost cost, CostShape shape) => new PushBallOracle(this, cost, shape);
    public PlanEpisode[] Episodes(EpisodesConfig config) => PushBallEpisodes.Generate(config, this);
    public string? NoEpisodes(EpisodesConfig config) => config.Pushes > 0 ? null
        : "asks for no episodes; set episodes.pushes above 0, or give episodesFile";
    public string EpisodeExample => PushBallEpisodes.Example;
    public PlanEpisode? ReadEpisode(JsonObject entry, string at, int id, List<ConfigError> errors) =>
        PushBallEpisodes.Read(entry, at, id, this, errors);
    public JsonObject WriteEpisode(PlanEpisode episode) => PushBallEpisodes.Write(episode);
    public float[] SuccessGoals(IReadOnlyList<PlanEpisode> episodes) => episodes.SelectMany(e => e.Layout).ToArray();
    public string ActionUnit => "px/step² (acceleration)";

    // Goal variants: the task is the ball on its target; the agent may end anywhere.
    public string? FreeInGoal => "the agent";

    public float[] GoalVariant(PlanEpisode episode, int index, int count) =>
        PushBallEpisodes.GoalVariant(this, episode.Goal, index, count);

    public string DescribeEpisodes(IReadOnlyList<PlanEpisode> episodes) =>
        $"{episodes.Count} pushes (agent, ball and target drawn as the world's reset draws them; " +
        "the goal frame shows the ball on the target " +
        $"and the agent at rest behind it), budget {episodes.Max(x => x.Budget)} steps; " +
        $"success = the ball stopped (≤ {SettledSpeed} px per step) " +
        "with its centre within √2 px (strict) or 4.5 px (loose) of the target; " +
        "task horizon = the reach-then-push path at top speed.";

    // Datasets: where the ball goes, and how often it moves at all (every learned model fails where it never does).
    public (int X, int Y, string Of) Coverage => (BallX, BallY, "ball");

    public IReadOnlyList<DatasetEvent> Events(Dataset data)
    {
        int moved = 0;
        for (int e = 0; e < data.Episodes; e++)
        {
            var s0 = data.State(e, 0); var s1 = data.State(e, data.Steps);
            if (Math.Abs(s1[BallX] - s0[BallX]) + Math.Abs(s1[BallY] - s0[BallY]) > 0.5) moved++;
        }
        return [new DatasetEvent("ballMovedRate", "episodes moving the ball", (double)moved / data.Episodes)];
    }

    public string RareEvent => "ball contacts";

    /// <summary>Steps after which agent and ball touch and did not before (a new contact).</summary>
    public int CountRareEvents(ReadOnlySpan<float> states, int steps, ReadOnlySpan<float> layout)
    {
        int d = PushBallBatch.StateDim, contacts = 0;
        bool before = Touching(states[..d]);
        for (int t = 1; t <= steps; t++)
        {
            bool now = Touching(states.Slice(t * d, d));
            if (now && !before) contacts++;
            before = now;
        }
        return contacts;
    }

    // A small tolerance: the solver separates touching disks to exactly the sum of radii.
    private bool Touching(ReadOnlySpan<float> s)
    {
        float dx = s[AgentX] - s[BallX], dy = s[AgentY] - s[BallY], r = AgentRadius + BallRadius + 0.05f;
        return dx * dx + dy * dy <= r * r;
    }
}
