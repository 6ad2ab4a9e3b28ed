using WorldModel.Plan.Models;
using static WorldModel.Worlds.PushBall.PushBallBatch;

namespace WorldModel.Worlds.PushBall;

/// <summary>
/// The true Push-Ball simulator behind the planning interface: candidates are rolled out in a batch
/// of E × N worlds. Straight: the ball's distance to its target, the task itself; it is flat until
/// the agent touches the ball, so a planner whose rollouts never reach the ball has nothing to
/// follow (Push-Ball's counterpart of the wall). Shaped: adds the agent's distance to the pushing
/// spot just behind the ball (on the line from the target through the ball), the reach-then-push
/// shaping of manipulation benchmarks.
/// </summary>
public sealed class PushBallOracle(PushBallConfig world, OracleCost cost, CostShape shape) : IPlanningModel
{
    private const int D = PushBallBatch.StateDim;
    private float[] _targets = [];
    private float[] _states = [];
    private PushBallBatch? _batch;

    public string Name => cost == OracleCost.Shaped ? "oracle/shaped" : "oracle/straight";

    public void SetGoals(Observations goals) => _targets = (float[])goals.Layouts.Clone();

    public void Observe(Observations current) => _states = (float[])current.States.Clone();

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
    {
        int episodes = _states.Length / D, worlds = episodes * candidates;
        if (_targets.Length != episodes * 2)
            throw new InvalidOperationException("call SetGoals and Observe for the same episodes before Score");
        if (_batch is null || _batch.Count != worlds) _batch = new PushBallBatch(world, worlds);
        var states = new float[worlds * D];
        var targets = new float[worlds * 2];
        for (int w = 0; w < worlds; w++)
        {
            int e = w / candidates;
            _states.AsSpan(e * D, D).CopyTo(states.AsSpan(w * D, D));
            targets[2 * w] = _targets[2 * e];
            targets[2 * w + 1] = _targets[2 * e + 1];
        }
        _batch.Load(states, targets);

        var total = new float[worlds];
        if (shape == CostShape.Min) Array.Fill(total, float.PositiveInfinity);
        var step = new float[worlds * 2]; // actions are E × N × H × 2, episode-major
        for (int h = 0; h < horizon; h++)
        {
            for (int w = 0; w < worlds; w++)
            {
                step[2 * w] = actions[(w * horizon + h) * 2];
                step[2 * w + 1] = actions[(w * horizon + h) * 2 + 1];
            }
            _batch.Step(step);
            if (shape == CostShape.Terminal && h < horizon - 1) continue;
            for (int w = 0; w < worlds; w++)
            {
                float d = Distance(_batch.State.AsSpan(w * D, D), targets[2 * w], targets[2 * w + 1]);
                total[w] = shape == CostShape.Min ? Math.Min(total[w], d) : total[w] + d;
            }
        }
        total.CopyTo(costs);
    }

    private float Distance(ReadOnlySpan<float> s, float tx, float ty)
    {
        float bx = tx - s[BallX], by = ty - s[BallY], ball = MathF.Sqrt(bx * bx + by * by);
        if (cost != OracleCost.Shaped) return ball;
        float ux = ball > 1e-6f ? bx / ball : 0, uy = ball > 1e-6f ? by / ball : 0;
        float behind = world.PushDistance; // clear of the ball, as in the goal frame: touching it would keep it rolling
        float px = s[BallX] - ux * behind - s[AgentX], py = s[BallY] - uy * behind - s[AgentY];
        return ball + MathF.Sqrt(px * px + py * py);
    }

    public void Dispose() { }
}
