using WorldModel.Plan.Evaluation;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Worlds.TwoRooms;
using Xunit.Abstractions;

namespace WorldModel.Plan.Tests;

/// <summary>
/// A model that proposes plans (a learned policy's, TD-MPC's lever): the MPC loop starts each search from the
/// proposal. Tested on the true simulator with the straight-line cost, which traps a flat search at the wall:
/// proposals through the door carry the same search across.
/// </summary>
public sealed class ProposalTests(ITestOutputHelper output)
{
    private static readonly TwoRoomsConfig World = new();

    /// <summary>
    /// The straight-line oracle, proposing a walk at full speed to the door's middle and on to the goal (from the
    /// true states, as a policy that knows the way would) when <paramref name="propose"/> is set.
    /// </summary>
    private sealed class DoorProposer(bool propose, bool execute = false) : IProposingModel
    {
        private readonly IPlanningModel _oracle = PlanningModels.Oracle(World, OracleCost.Straight, CostShape.Min);
        private float[] _goals = [], _current = [];
        public int Proposals { get; private set; }
        /// <summary>Candidates scored per episode, over all calls.</summary>
        public int Scored { get; private set; }
        public bool ExecutesProposal => execute;
        public string Name => "door-proposer";
        public void SetGoals(Observations goals) { _goals = goals.States; _oracle.SetGoals(goals); }
        public void Observe(Observations current) { _current = current.States; _oracle.Observe(current); }
        public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs)
        {
            Scored += candidates;
            _oracle.Score(actions, candidates, horizon, costs);
        }
        public void Dispose() => _oracle.Dispose();

        public bool Propose(Span<float> plan, int horizon)
        {
            if (!propose) return false;
            int sd = World.Spec.StateDim, episodes = _current.Length / sd;
            var door = (X: World.Layout is FixedLayoutConfig f ? f.WallPosition : 32f,
                Y: World.Layout is FixedLayoutConfig g ? (g.DoorStart + g.DoorEnd) / 2 : 10f);
            for (int e = 0; e < episodes; e++)
            {
                float x = _current[e * sd], y = _current[e * sd + 1];
                float gx = _goals[e * sd], gy = _goals[e * sd + 1];
                bool throughDoor = (x < door.X) != (gx < door.X);
                for (int t = 0; t < horizon; t++)
                {
                    var (tx, ty) = throughDoor ? door : (gx, gy);
                    float dx = tx - x, dy = ty - y, d = MathF.Sqrt(dx * dx + dy * dy);
                    float s = d < 1e-6f ? 0 : MathF.Min(World.MaxStep, d) / d;
                    plan[(e * horizon + t) * 2] = dx * s;
                    plan[(e * horizon + t) * 2 + 1] = dy * s;
                    (x, y) = (x + dx * s, y + dy * s);
                    if (throughDoor && d <= World.MaxStep) throughDoor = false;
                }
            }
            Proposals++;
            return true;
        }
    }

    private static readonly SceneBuilder Scenes =
        new(World, new RenderConfig { Layout = ObservationLayout.Channels });

    private static IReadOnlyList<PlanEpisode> AcrossRooms(int count, int seed) =>
        PlanEpisodes.Generate(new EpisodesConfig { AcrossRooms = count, SameRoom = 0, Seed = seed }, World);

    private static EpisodeResult[] Run(IPlanningModel model)
    {
        using var renderer = new CpuRasterizer(Scenes.Format);
        var runner = new MpcRunner(World, renderer, Scenes, new MpcConfig
        {
            Planner = new MppiConfig { Samples = 64, Iterations = 2 },
            PlannerHorizon = 48,
            ReplanEvery = 4,
            BatchEpisodes = 16,
        });
        return runner.Run(model, AcrossRooms(16, seed: 42));
    }

    [Fact]
    public void Given_a_model_that_proposes_plans_through_the_door_When_planned_with_the_straight_line_cost_Then_the_search_starts_from_them_and_crosses_where_it_is_trapped_without()
    {
        using var plain = new DoorProposer(propose: false);
        var trapped = Run(plain);
        using var proposer = new DoorProposer(propose: true);
        var crossed = Run(proposer);
        string summary = $"without proposals {trapped.Count(r => r.Strict)}/16, " +
                         $"with {crossed.Count(r => r.Strict)}/16 ({proposer.Proposals} proposals)";
        output.WriteLine(summary);
        Assert.True(proposer.Proposals > 0, summary);
        Assert.True(crossed.Count(r => r.Strict) >= 15, summary);
        Assert.True(crossed.Count(r => r.Strict) >= trapped.Count(r => r.Strict) + 5, summary);
    }

    [Fact]
    public void Given_a_model_whose_proposals_are_executed_as_they_are_Then_the_loop_scores_only_them_and_follows_them_through_the_door()
    {
        using var searched = new DoorProposer(propose: true);
        var withSearch = Run(searched);
        using var alone = new DoorProposer(propose: true, execute: true);
        var results = Run(alone);
        output.WriteLine($"executed alone {results.Count(r => r.Strict)}/16 ({alone.Scored} candidates scored for " +
                         $"{alone.Proposals} proposals); searched from them {withSearch.Count(r => r.Strict)}/16 " +
                         $"({searched.Scored} candidates)");
        Assert.Equal(16, results.Count(r => r.Strict));
        // One candidate per replan (the proposal, scored for the logs), against 64 × 2 per replan with a search.
        Assert.Equal(alone.Proposals, alone.Scored);
        Assert.Equal(searched.Proposals * 64 * 2, searched.Scored);
    }

    /// <summary>Proposes the same action at every step, (0.5, 0) on even replans and (0, 0.5) on odd ones.</summary>
    private sealed class AlternatingProposer(bool execute) : IProposingModel
    {
        private readonly IPlanningModel _oracle = PlanningModels.Oracle(World, OracleCost.Straight, CostShape.Sum);
        private int _replans;
        public bool ExecutesProposal => execute;
        public string Name => "alternating-proposer";
        public void SetGoals(Observations goals) => _oracle.SetGoals(goals);
        public void Observe(Observations current) => _oracle.Observe(current);
        public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs) =>
            _oracle.Score(actions, candidates, horizon, costs);
        public void Dispose() => _oracle.Dispose();

        public bool Propose(Span<float> plan, int horizon)
        {
            bool even = _replans++ % 2 == 0;
            for (int t = 0; t < plan.Length / 2; t++)
                (plan[2 * t], plan[2 * t + 1]) = even ? (0.5f, 0f) : (0f, 0.5f);
            return true;
        }
    }

    private static List<float[]> PlannedActions(IPlanningModel model, float proposalAverage, int replans)
    {
        using var renderer = new CpuRasterizer(Scenes.Format);
        var loop = new MpcLoop(World, renderer, Scenes, new MpcConfig
        {
            Planner = new MppiConfig { Samples = 16, Iterations = 1 },
            PlannerHorizon = 4,
            ReplanEvery = 1,
            ProposalAverage = proposalAverage,
        }, model, AcrossRooms(1, seed: 3));
        var plans = new List<float[]>();
        for (int r = 0; r < replans && !loop.Finished; r++) plans.Add(loop.Step().PlannedActions!);
        return plans;
    }

    [Fact]
    public void Given_proposals_that_alternate_When_executed_with_proposal_averaging_Then_each_step_blends_the_new_one_with_the_last_plan_and_a_search_ignores_it()
    {
        using var alone = new AlternatingProposer(execute: true);
        var plans = PlannedActions(alone, proposalAverage: 0.5f, replans: 3);
        // The first plan has nothing before it: the proposal as it is. Then (1 − w) × new + w × the last plan,
        // shifted by the step taken: its last step, which the last plan did not cover, is the new proposal's.
        Assert.Equal([0.5f, 0f, 0.5f, 0f, 0.5f, 0f, 0.5f, 0f], plans[0]);
        Assert.Equal([0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0f, 0.5f], plans[1]);
        Assert.Equal([0.375f, 0.125f, 0.375f, 0.125f, 0.25f, 0.25f, 0.5f, 0f], plans[2]);
        using var unaveraged = new AlternatingProposer(execute: true);
        Assert.Equal([0f, 0.5f, 0f, 0.5f, 0f, 0.5f, 0f, 0.5f], PlannedActions(unaveraged, 0, 2)[1]);
        // A search from the proposals plans the same with it as without.
        using var searchedA = new AlternatingProposer(execute: false);
        using var searchedB = new AlternatingProposer(execute: false);
        Assert.Equal(PlannedActions(searchedA, 0, 3), PlannedActions(searchedB, 0.5f, 3));
    }
}
