using WorldModel.Data;
using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Render;
using static TorchSharp.torch;

namespace WorldModel.Models.Planning;

/// <summary>
/// A trained latent model planned over a graph of its encoded training data (<see cref="DataGraphConfig"/>): at
/// every replan the current state joins its nearest nodes, the shortest path to the goal's nearest nodes picks the
/// node <see cref="DataGraphConfig.Reach"/> steps ahead, and the low level (a <see cref="LearnedPlanningModel"/>)
/// plans toward that node's latent with the usual MPC, or toward the goal once it is within reach. The graph is
/// built on the first SetGoals, so a run that offers it costs nothing until it is planned.
/// </summary>
public sealed class GraphPlanningModel : IPlanningModel, IImaginingModel
{
    private readonly LearnedPlanningModel _low;
    private readonly DataGraphConfig _config;
    private readonly Func<Dataset> _data;
    private readonly Dictionary<string, (float[] Steps, int[] Next)> _paths = []; // per goal latent
    private DataGraph? _graph;
    private Tensor? _nodes; // N × D node latents on the model's device
    private (float[] Steps, int[] Next)[] _toGoals = [];

    /// <param name="data">The data the model was trained on (opened only when the graph is first needed).</param>
    public GraphPlanningModel(string name, LearnedPlanningModel low, DataGraphConfig config, Func<Dataset> data)
    {
        if (low.Space != CostSpace.Latent)
            throw new ArgumentException($"{name}: a data graph joins latents; plan it in latent space");
        (Name, _low, _config, _data) = (name, low, config, data);
    }

    public string Name { get; }

    /// <summary>The graph, once built (null before the first SetGoals).</summary>
    public DataGraph? Graph => _graph;

    public void SetGoals(Observations goals)
    {
        if (goals.Variants != 1)
            throw new ArgumentException($"{Name}: plans toward one goal per episode; got {goals.Variants} variants");
        _low.SetGoals(goals);
        _graph ??= Build();
        var goalLatents = Flat(_low.GoalLatent!);
        int d = _graph.Dim;
        var (near, distances) = TorchGuard.Pure(() => DataGraph.Nearest(_low.GoalLatent!, _nodes!,
            _config.Neighbours));
        int k = near.Length / goals.Count;
        _toGoals = new (float[], int[])[goals.Count];
        for (int e = 0; e < goals.Count; e++)
        {
            string key = Convert.ToBase64String(
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(goalLatents.AsSpan(e * d, d)));
            if (!_paths.TryGetValue(key, out var paths))
                _paths[key] = paths =
                    _graph.ShortestTo(near[(e * k)..((e + 1) * k)], distances[(e * k)..((e + 1) * k)]);
            _toGoals[e] = paths;
        }
    }

    public void Observe(Observations current)
    {
        _low.Observe(current);
        var graph = _graph ?? throw new InvalidOperationException("call SetGoals before Observe");
        var (near, distances) = TorchGuard.Pure(() => DataGraph.Nearest(_low.Current!, _nodes!,
            _config.Neighbours));
        int count = current.Count, k = near.Length / count;
        if (count != _toGoals.Length)
            throw new InvalidOperationException($"{count} observations for {_toGoals.Length} goals");
        var aims = new long[count];
        var aimsAtGoal = new bool[count];
        for (int e = 0; e < count; e++)
        {
            var (node, _) = graph.Subgoal(near[(e * k)..((e + 1) * k)], distances[(e * k)..((e + 1) * k)],
                _toGoals[e], _config.Reach);
            aims[e] = node;
            aimsAtGoal[e] = node < 0;
        }
        TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var goal = _low.GoalLatent!;
            var picked = tensor(aims.Select(a => Math.Max(a, 0)).ToArray()).to(_low.Device);
            var subgoals = _nodes!.index_select(0, picked).reshape(goal.shape);
            var atGoal = tensor(aimsAtGoal).to(_low.Device)
                .reshape([count, .. Enumerable.Repeat(1L, (int)goal.dim() - 1)]);
            _low.AimAt(where(atGoal, goal, subgoals).DetachFromDisposeScope());
            return 0;
        });
    }

    public void Score(ReadOnlySpan<float> actions, int candidates, int horizon, Span<float> costs) =>
        _low.Score(actions, candidates, horizon, costs);

    public float[][] ImagineLatents(ReadOnlySpan<float> actions, int horizon) => _low.ImagineLatents(actions, horizon);

    public float[][]? ImagineFrames(ReadOnlySpan<float> actions, int horizon, IReadOnlyList<int> steps) =>
        _low.ImagineFrames(actions, horizon, steps);

    public void Dispose()
    {
        _nodes?.Dispose();
        _low.Dispose();
    }

    /// <summary>Encodes every Stride-th state of the chosen episodes and joins them.</summary>
    private DataGraph Build()
    {
        var data = _data();
        int episodes = Math.Min(_config.Episodes, data.Episodes), stride = _config.Stride;
        int perEpisode = data.Steps / stride + 1, n = episodes * perEpisode;
        int sd = data.Spec.StateDim, ld = data.Spec.LayoutDim;
        var states = new float[n * sd];
        var layouts = new float[n * ld];
        var episodeOf = new int[n];
        for (int i = 0, node = 0; i < episodes; i++)
        {
            int e = (int)((long)i * data.Episodes / episodes); // spread over the dataset, in order
            for (int t = 0; t < perEpisode; t++, node++)
            {
                data.State(e, t * stride).CopyTo(states.AsSpan(node * sd, sd));
                data.Layout(e).CopyTo(layouts.AsSpan(node * ld, ld));
                episodeOf[node] = e;
            }
        }
        var scenes = new SceneBuilder(data.Config.World, data.Config.Render);
        using var renderer = RendererFactory.Create(data.Config.Render.Renderer, scenes.Format).Renderer;
        return TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            const int block = 512;
            var parts = new List<Tensor>();
            for (int from = 0; from < n; from += block)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(block, n - from);
                var frames = scenes.Render(renderer, states.AsSpan(from * sd, count * sd),
                    layouts.AsSpan(from * ld, count * ld), count);
                var x = FrameTensors.Frames(frames, scenes.Format, count, _low.Device);
                parts.Add(_low.Model.Encoder.call(x).flatten(1).MoveToOuterDisposeScope());
            }
            _nodes = cat(parts, 0);
            foreach (var p in parts) p.Dispose();
            var (near, distances) = DataGraph.Nearest(_nodes, _nodes, _config.Neighbours + 1);
            using var readScope = NewDisposeScope();
            return new DataGraph(Readback.Floats(_nodes), (int)_nodes.shape[1], episodeOf, stride, near, distances,
                Math.Min(_config.Neighbours + 1, n), _config.NeighbourQuantile);
        });
    }

    private static float[] Flat(Tensor t) => TorchGuard.Pure(() =>
    {
        using var scope = NewDisposeScope();
        return Readback.Floats(t);
    });
}
