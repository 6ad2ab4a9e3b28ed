using System.Text.Json.Nodes;
using WorldModel.Core.Config;
using WorldModel.Plan.Evaluation;
using WorldModel.Sim;
using static WorldModel.Plan.Evaluation.EpisodeJson;
using static WorldModel.Worlds.PushBall.PushBallBatch;

namespace WorldModel.Worlds.PushBall;

/// <summary>
/// Push-Ball planning tasks. Start: agent and ball at rest, drawn as the world's own reset draws them;
/// layout: the ball's target. Success is the ball stopped within the threshold of the target. The
/// goal a learned model is shown is a frame of the finished push: the ball on the target and the agent
/// at rest just behind it, on the side the ball came from (where a push ends). The task horizon is, as
/// for Two-Rooms, a path length at top speed: the agent's straight line to the pushing spot behind the
/// ball, then the ball's straight line to the target, at the agent's top speed (a lower bound: it
/// ignores acceleration and the detour round the ball).
/// </summary>
public static class PushBallEpisodes
{
    /// <summary>All Push-Ball episodes are of one kind; the reports show them in one column.</summary>
    public const string Kind = "push";

    public const string Example = "{\"agent\": [x, y], \"ball\": [x, y], \"target\": [x, y], \"budget\": 200}";

    public static PlanEpisode[] Generate(EpisodesConfig config, PushBallConfig world)
    {
        int n = config.Pushes;
        if (n == 0) return [];
        var batch = new PushBallBatch(world, n);
        batch.Reset(Enumerable.Range(0, n).Select(i => Rng.Derive((ulong)config.Seed, (ulong)i, stream: 13)).ToArray());
        return Enumerable.Range(0, n).Select(i =>
        {
            var start = batch.State.AsSpan(i * PushBallBatch.StateDim, PushBallBatch.StateDim).ToArray();
            float[] target = [batch.Target[2 * i], batch.Target[2 * i + 1]];
            return Create(i, start, target, config.Budget, world);
        }).ToArray();
    }

    public static PlanEpisode Create(int id, float[] start, float[] target, int budget, PushBallConfig world) =>
        new(
            Id: id,
            Kind: Kind,
            Layout: target,
            Start: start,
            Goal: GoalState(world, start, target),
            Budget: budget,
            TaskSteps: TaskSteps(world, start, target));

    /// <summary>
    /// The finished push: ball at rest on the target, agent at rest half a pixel behind it, on the side the ball
    /// came from.
    /// </summary>
    public static float[] GoalState(PushBallConfig world, ReadOnlySpan<float> start, ReadOnlySpan<float> target)
    {
        var (ux, uy, _) = Direction(start[BallX], start[BallY], target[0], target[1]);
        float behind = world.PushDistance;
        float lo = world.BorderLow + world.AgentRadius, hi = world.BorderHigh - world.AgentRadius;
        float ax = Math.Clamp(target[0] - ux * behind, lo, hi), ay = Math.Clamp(target[1] - uy * behind, lo, hi);
        return [ax, ay, 0, 0, target[0], target[1], 0, 0];
    }

    /// <summary>
    /// The goal with the agent moved: variant <paramref name="index"/> of <paramref name="count"/> puts it, at rest,
    /// on an even spread over the arena (the R2 low-discrepancy sequence, Roberts 2018), pushed clear of the ball
    /// where the walls allow.
    /// </summary>
    public static float[] GoalVariant(PushBallConfig world, ReadOnlySpan<float> goal, int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        const double G = 1.32471795724474602596; // the plastic number: R2's generator
        float lo = world.BorderLow + world.AgentRadius, hi = world.BorderHigh - world.AgentRadius;
        float x = lo + (hi - lo) * (float)((0.5 + (index + 1) / G) % 1.0);
        float y = lo + (hi - lo) * (float)((0.5 + (index + 1) / (G * G)) % 1.0);
        var (ux, uy, d) = Direction(goal[BallX], goal[BallY], x, y);
        if (d < world.PushDistance)
        {
            x = Math.Clamp(goal[BallX] + ux * world.PushDistance, lo, hi);
            y = Math.Clamp(goal[BallY] + uy * world.PushDistance, lo, hi);
        }
        var variant = goal.ToArray();
        (variant[AgentX], variant[AgentY], variant[AgentVx], variant[AgentVy]) = (x, y, 0, 0);
        return variant;
    }

    /// <summary>Steps at top speed along the reach-then-push path (see the class summary).</summary>
    public static int TaskSteps(PushBallConfig world, ReadOnlySpan<float> start, ReadOnlySpan<float> target)
    {
        var (ux, uy, push) = Direction(start[BallX], start[BallY], target[0], target[1]);
        float behind = world.AgentRadius + world.BallRadius;
        float sx = start[BallX] - ux * behind - start[AgentX], sy = start[BallY] - uy * behind - start[AgentY];
        return (int)MathF.Ceiling((MathF.Sqrt(sx * sx + sy * sy) + push) / world.MaxSpeed);
    }

    /// <summary>
    /// Unit vector from the ball to the target, and the distance; any direction when the ball is already there.
    /// </summary>
    private static (float X, float Y, float Length) Direction(float bx, float by, float tx, float ty)
    {
        float dx = tx - bx, dy = ty - by, d = MathF.Sqrt(dx * dx + dy * dy);
        return d < 1e-3f ? (1, 0, d) : (dx / d, dy / d, d);
    }

    public static JsonObject Write(PlanEpisode e) => new()
    {
        ["agent"] = new JsonArray(e.Start[PushBallBatch.AgentX], e.Start[PushBallBatch.AgentY]),
        ["ball"] = new JsonArray(e.Start[PushBallBatch.BallX], e.Start[PushBallBatch.BallY]),
        ["target"] = new JsonArray(e.Layout[0], e.Layout[1]),
        ["budget"] = e.Budget,
        ["taskSteps"] = e.TaskSteps,
    };

    public static PlanEpisode? Read(JsonObject item, string at, int id, PushBallConfig world, List<ConfigError> errors)
    {
        int before = errors.Count;
        UnknownKeys(item, at, ["agent", "ball", "target", "budget", "taskSteps", "taskHorizon"], errors);
        var agent = Point(item["agent"], $"{at}.agent",
            world.BorderLow + world.AgentRadius, world.BorderHigh - world.AgentRadius, errors);
        var ball = Point(item["ball"], $"{at}.ball",
            world.BorderLow + world.BallRadius, world.BorderHigh - world.BallRadius, errors);
        var target = Point(item["target"], $"{at}.target",
            world.BorderLow + world.BallRadius, world.BorderHigh - world.BallRadius, errors);
        int budget = Budget(item, at, errors);
        if (agent is not null && ball is not null)
        {
            float dx = agent[0] - ball[0], dy = agent[1] - ball[1], r = world.AgentRadius + world.BallRadius;
            if (dx * dx + dy * dy < r * r)
                errors.Add(new($"{at}.agent",
                    $"({agent[0]}, {agent[1]}) overlaps the ball; centres must be at least {r} px apart"));
        }
        if (errors.Count > before) return null;
        float[] start = [agent![0], agent[1], 0, 0, ball![0], ball[1], 0, 0];
        return Create(id, start, target!, budget, world);
    }

}
