using WorldModel.Core.Config;
using WorldModel.Data;
using WorldModel.Experiments.Collection;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WorldModel.Experiments.Tests;

/// <summary>
/// Active collection on the tiny experiment: the same seed and budget for every strategy; an explorer that plans
/// with a model of the data so far (ensemble disagreement) makes the door crossing (Two-Rooms' rare event) more frequent than the random
/// walk it started from.
/// </summary>
[Collection("torch")]
public sealed class CollectionTests(ITestOutputHelper output)
{
    private static ExperimentConfig TinyCollection(params string[] sets) =>
        ConfigLoader.LoadFile<ExperimentConfig>(Repository.Config("tiny-collection.json"), sets);

    /// <summary>
    /// Runs the collection and returns each strategy's <paramref name="round"/> (per seed), its door crossings per
    /// 1,000 transitions in the collected episodes only (the shared initial data is the same for all; the mean over
    /// the config's seeds), and a summary with each seed's rate.
    /// </summary>
    private (Dictionary<string, CollectUnit[]> Rounds, Func<string, double> Rate, string Summary) CollectRounds(
        ExperimentConfig config, string folder, int round)
    {
        var graph = ExperimentRunner.Run(config, folder, CPU, new RecordingObserver(), CancellationToken.None);
        var rounds = graph.Units.OfType<CollectUnit>().Where(u => u.Round == round)
            .GroupBy(u => u.Label).ToDictionary(g => g.Key, g => g.OrderBy(u => u.Seed).ToArray());
        double SeedRate(CollectUnit unit) => RareEvents.PerThousand(unit.Open(), config.Collection!.InitialEpisodes);
        double Rate(string label) => rounds[label].Average(SeedRate);
        string summary = string.Join(", ", rounds.Keys.Select(k =>
            $"{k} {Rate(k):F1} (seeds: {string.Join(" ", rounds[k].Select(u => SeedRate(u).ToString("F1")))})"));
        output.WriteLine($"door crossings per 1,000 collected transitions: {summary}");
        return (rounds, Rate, summary);
    }

    [Fact]
    public void Given_the_same_seed_and_budget_When_a_tiny_active_loop_collects_Then_it_finds_more_door_crossings_than_the_random_walk()
    {
        using var tmp = new TempFolder();
        // Initial random walks that never steer through the door; two rounds of 64 episodes of 32 steps each, on
        // three seeds: one seed's few crossings move with float rounding (with 16-step episodes seed 0 found 1 on
        // one CPU, at least 5 on two others), three seeds' mean much less. The collector plans 32 steps ahead, so
        // it can reach the door from anywhere in its room (16 steps sufficed on the EPYCs, not on an Intel Xeon).
        var config = TinyCollection(
            "data.steps=32", "collection.initialEpisodes=64", "collection.roundEpisodes=64", "collection.rounds=2",
            "collection.evaluateAfter=[]", "collection.collector.train.steps=400", "seeds=[0,1,2]",
            "collection.strategies=[{\"kind\":\"passive\",\"policy\":{\"kind\":\"random-walk\",\"doorShare\":0}}," +
            "{\"kind\":\"disagreement\",\"planner\":{\"kind\":\"mppi\",\"samples\":32,\"iterations\":2," +
            "\"noiseColour\":2},\"plannerHorizon\":32}]");
        var (rounds, Rate, summary) = CollectRounds(config, tmp["run"], round: 2);
        Assert.Equal(rounds["random-walk"].Select(u => u.Transitions),
            rounds["disagreement"].Select(u => u.Transitions));
        // Plan2Explore's heads disagree where crossings were never seen: at the door. The random walk's counts do not
        // depend on the CPU: 0.5, 1.2, 2.7 per 1,000 (2, 5, 11 of 4,096). Disagreement, planning 16 steps ahead: 2.9,
        // 2.4, 3.7 on an EPYC with AVX-512 (no vp2intersect), 0.5, 3.7, 0.5 on an Intel Xeon (no better than the
        // random walk); 32 steps ahead on the Xeon: 2.0, 3.2, 2.0 (mean 2.4, 1.6x); on an EPYC with AVX-512 and
        // vp2intersect (oneDNN off) 1.7, 2.0, 1.5 (mean 1.7, 1.13x): more crossings on every kind, by how much
        // depends on the kind, so the test asks for more (what issue 17 asks) and at least 1.6 per 1,000.
        Assert.True(Rate("disagreement") > Rate("random-walk") && Rate("disagreement") >= 1.6, summary);
    }

    [Fact]
    public void Given_data_that_crossed_the_door_When_goal_directed_exploration_returns_over_its_graph_Then_it_crosses_more_often_than_step_by_step()
    {
        using var tmp = new TempFolder();
        // The reference's setting at a third of its size: walks never steered at the door (a few cross by chance),
        // then one round of 48 episodes toward the rarest states, the same goals for both, planned with the
        // strategy's default planner step by step or over the data graph.
        var config = TinyCollection(
            "data.steps=32", "collection.initialEpisodes=156", "collection.roundEpisodes=48", "collection.rounds=1",
            "collection.evaluateAfter=[]", "collection.collector.train={\"steps\":200,\"batchSize\":16," +
            "\"rollout\":8,\"learningRate\":0.002,\"warmupSteps\":20}",
            "collection.strategies=[{\"kind\":\"goal-directed\"}," +
            "{\"kind\":\"goal-directed\",\"name\":\"goal-directed-graph\",\"graph\":{}}]");
        var (_, Rate, summary) = CollectRounds(config, tmp["run"], round: 1);
        // Step by step the collector stalls at the wall whenever the rare state is in the other room; over the
        // graph it goes round through the door (here 8 crossings in 1,536 steps against none; at least 4 asked).
        Assert.True(Rate("goal-directed-graph") >= 2 * Rate("goal-directed") && Rate("goal-directed-graph") >= 2.5,
            summary);
    }

    [Fact]
    public void Given_a_passive_strategy_without_rare_events_Then_its_rounds_hold_no_door_crossing()
    {
        using var tmp = new TempFolder();
        var config = TinyCollection("collection.evaluateAfter=[]", "collection.initial={\"kind\":\"uniform\"}",
            "collection.strategies=[{\"kind\":\"passive\",\"policy\":{\"kind\":\"random-walk\"},\"withoutRareEvents\":true}]");
        var graph = ExperimentRunner.Run(config, tmp["run"], CPU, new RecordingObserver(), CancellationToken.None);
        var last = graph.Units.OfType<CollectUnit>().Single(u => u.Round == 2);
        var data = last.Open();
        var world = (IDatasetWorld)data.Config.World;
        int sd = data.Spec.StateDim, added = 0;
        for (int e = config.Collection!.InitialEpisodes; e < data.Episodes; e++, added++)
            Assert.Equal(0, world.CountRareEvents(data.States.AsSpan(e * (data.Steps + 1) * sd, (data.Steps + 1) * sd),
                data.Steps, data.Layout(e)));
        Assert.Equal(16, added);
        Assert.Equal("random-walk-no-events", last.Label);
    }

    [Fact]
    public void Given_a_collector_that_learned_a_goal_conditioned_policy_When_gcsl_runs_it_toward_states_of_the_data_Then_its_episodes_end_nearer_them_than_the_random_walks_do()
    {
        using var tmp = new TempFolder();
        // Random walks, a JEPA and its high level learning a policy (jumps of 4) on them, then one round toward
        // states drawn from those walks, against a round of random walks measured toward the same goals.
        const int episodes = 64;
        var config = TinyCollection(
            "data.steps=32", "collection.initialEpisodes=128", $"collection.roundEpisodes={episodes}",
            "collection.rounds=1", "collection.evaluateAfter=[]",
            "collection.collector.train={\"steps\":200,\"batchSize\":16,\"rollout\":8,\"learningRate\":0.002," +
            "\"warmupSteps\":20}",
            "collection.collector.hierarchy={\"skip\":4,\"policy\":{\"hidden\":64},\"train\":{\"steps\":300," +
            "\"batchSize\":16,\"rollout\":4,\"learningRate\":0.002,\"warmupSteps\":20}}",
            "collection.strategies=[{\"kind\":\"gcsl\",\"plannerHorizon\":8,\"replanEvery\":1}," +
            "{\"kind\":\"passive\",\"policy\":{\"kind\":\"random-walk\"}}]");
        var graph = ExperimentRunner.Run(config, tmp["run"], CPU, new RecordingObserver(), CancellationToken.None);
        var units = graph.Units.OfType<CollectUnit>().ToArray();
        var initial = units.Single(u => u.Round == 0).Open();
        var gcsl = units.Single(u => u.Label == "gcsl");
        var walk = units.Single(u => u.Label == "random-walk");
        var goals = gcsl.GcslGoals(initial);
        int sd = initial.Spec.StateDim, steps = initial.Steps, first = config.Collection!.InitialEpisodes;
        // Goals in the start's own room (the wall at x = 32): the policy learned no way through the door here.
        double MeanEndDistance(CollectUnit unit, out int pairs)
        {
            var data = unit.Open();
            var sameRoom = Enumerable.Range(0, episodes)
                .Where(i => data.State(first + i, 0)[0] < 32 == goals[i * sd] < 32).ToArray();
            pairs = sameRoom.Length;
            return sameRoom.Average(i =>
            {
                var end = data.State(first + i, steps);
                return Math.Sqrt(Math.Pow(end[0] - goals[i * sd], 2) + Math.Pow(end[1] - goals[i * sd + 1], 2));
            });
        }
        double byPolicy = MeanEndDistance(gcsl, out int n1), byWalk = MeanEndDistance(walk, out int n2);
        output.WriteLine($"goals in the start's room, mean distance from the episode's end to its goal: gcsl " +
            $"{byPolicy:F1} px ({n1} episodes), random walk {byWalk:F1} ({n2})");
        Assert.True(byPolicy < 0.6 * byWalk, $"gcsl {byPolicy:F1} px against the random walk's {byWalk:F1}");
    }
}
