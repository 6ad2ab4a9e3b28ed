using WorldModel.Render;

namespace WorldModel.Demo;

/// <summary>What the page draws in explore mode: novelty per arena cell, the chosen target and why.</summary>
/// <param name="Novelty">
/// Cells × Cells, row by row from the arena's low corner (row = y): novelty in [0, 1], relative to the arena's
/// largest when only the first state was visited; -1 where the agent cannot stand.
/// </param>
public sealed record ExploreView(float[] Novelty, int Cells, float CellSize, float[] Target, string Why, int Visited)
{
    public static readonly ExploreView Empty = new([], 0, 0, [], "", 0);
}

/// <summary>
/// The explore mode: scores each free cell of the arena by its novelty (the latent distance from the trained JEPA's
/// encoding of the agent there to the nearest latent of the states visited this session, as the novelty strategy
/// of data collection does) and sends the agent to the most novel cell it can reach: within the planner's reach and
/// in a straight line clear of walls (the shipped JEPA's latent distance only guides it nearby). Used on the
/// session thread only.
/// </summary>
internal sealed class DemoExplorer(DemoModels models, SceneBuilder scenes, IRenderer renderer)
{
    /// <summary>Cells per side: 3.5 px on Two-Rooms' 56 px arena, so a column of cells falls in its wall.</summary>
    public const int Cells = 16;
    public const float Reach = 16f, Arrived = 2f;
    /// <summary>Steps on one target before the explorer gives up on it (e.g. the planner is stuck).</summary>
    public const int Patience = 20;

    private readonly HashSet<int> _abandoned = new();
    private double[] _nearest = []; // per free cell: squared latent distance to the nearest visited state
    private int _visited;
    private float[]? _layout; // the layout the cells were encoded on
    private double[,] _cellLatents = new double[0, 0];
    private float[] _cellX = [], _cellY = [];
    private int[] _cellIndex = []; // grid index of each free cell
    private (float X, float Y)? _lastVisit;
    private int _target = -1, _chosenAtStep;
    private double _scale;

    public ExploreView View { get; private set; } = ExploreView.Empty;

    /// <summary>Forgets what was visited (a new layout, a reset, or explore mode switched on).</summary>
    public void Reset()
    {
        _nearest = Enumerable.Repeat(double.PositiveInfinity, _cellX.Length).ToArray();
        _visited = 0;
        _abandoned.Clear();
        (_lastVisit, _target, _scale, View) = (null, -1, 0, ExploreView.Empty);
    }

    /// <summary>
    /// Records the agent's state as visited, redraws the heatmap, and gives the episode a new target when it has
    /// none, arrived at it, was dragged elsewhere or stayed on it for <see cref="Patience"/> steps.
    /// </summary>
    public void Update(DemoEpisode episode)
    {
        if (!ReferenceEquals(_layout, episode.Layout)) EncodeCells(episode.Layout);
        bool dragged = _lastVisit is { } last
            && MathF.Abs(last.X - episode.AgentX) + MathF.Abs(last.Y - episode.AgentY) > 4; // a step moves ≤ 1.85 px
        if (_lastVisit != (episode.AgentX, episode.AgentY))
        {
            Visit(Encode([episode.AgentX], [episode.AgentY], episode.Layout));
            _lastVisit = (episode.AgentX, episode.AgentY);
        }
        var novelty = _nearest.Select(Math.Sqrt).ToArray();
        if (_scale == 0) _scale = Math.Max(novelty.DefaultIfEmpty(0).Max(), 1e-9);
        _chosenAtStep = Math.Min(_chosenAtStep, episode.Step); // a restart counts steps from 0 again
        bool arrived = _target >= 0 && Distance(episode, _target) <= Arrived;
        if (_target >= 0 && !arrived && episode.Step - _chosenAtStep >= Patience) _abandoned.Add(_target);
        if (_target < 0 || arrived || _abandoned.Contains(_target) || episode.Reached || dragged)
        {
            _target = Choose(episode, novelty);
            _chosenAtStep = episode.Step;
        }
        // The explorer owns the goal in explore mode: a click on the page is overridden.
        if (_target >= 0 && (episode.GoalX, episode.GoalY) != (_cellX[_target], _cellY[_target]))
            episode.Retarget(_cellX[_target], _cellY[_target]);
        View = Compose(episode, novelty);
    }

    /// <summary>The most novel free cell within reach and in sight of the agent, else the most novel of all.</summary>
    private int Choose(DemoEpisode e, double[] novelty)
    {
        int best = -1, anywhere = -1;
        for (int i = 0; i < novelty.Length; i++)
        {
            if (_abandoned.Contains(i) || Distance(e, i) <= Arrived) continue;
            if (anywhere < 0 || novelty[i] > novelty[anywhere]) anywhere = i;
            if (Distance(e, i) <= Reach && InSight(e, i) && (best < 0 || novelty[i] > novelty[best])) best = i;
        }
        return best >= 0 ? best : anywhere;
    }

    private bool InSight(DemoEpisode e, int cell)
    {
        for (int k = 1; k < 16; k++)
        {
            float t = k / 16f;
            float x = e.AgentX + t * (_cellX[cell] - e.AgentX), y = e.AgentY + t * (_cellY[cell] - e.AgentY);
            if (!models.Shown.IsFree(e.Layout, x, y)) return false;
        }
        return true;
    }

    private float Distance(DemoEpisode e, int cell) =>
        MathF.Sqrt(MathF.Pow(e.AgentX - _cellX[cell], 2) + MathF.Pow(e.AgentY - _cellY[cell], 2));

    /// <summary>
    /// Lowers each cell's distance to the nearest visited latent by one new visit (1 × D): the minimum kept per cell,
    /// so a step costs the same however long the class has watched.
    /// </summary>
    private void Visit(double[,] latent)
    {
        _visited++;
        int d = _cellLatents.GetLength(1);
        for (int i = 0; i < _nearest.Length; i++)
        {
            double sum = 0;
            for (int j = 0; j < d && sum < _nearest[i]; j++)
                sum += (_cellLatents[i, j] - latent[0, j]) * (_cellLatents[i, j] - latent[0, j]);
            _nearest[i] = Math.Min(_nearest[i], sum);
        }
    }

    private ExploreView Compose(DemoEpisode e, double[] novelty)
    {
        int cells = Cells;
        var grid = Enumerable.Repeat(-1f, cells * cells).ToArray();
        for (int i = 0; i < novelty.Length; i++) grid[_cellIndex[i]] = (float)Math.Min(1, novelty[i] / _scale);
        if (_target < 0) return new ExploreView(grid, cells, CellSize, [], "nothing left to explore", _visited);
        float score = grid[_cellIndex[_target]], highest = grid.Max();
        string why = $"heading to ({_cellX[_target]:F0}, {_cellY[_target]:F0}): novelty {score:F2}, " +
            (score >= highest ? "highest of the arena" : $"highest within reach (arena's highest: {highest:F2})") +
            $"; {_visited} states visited";
        return new ExploreView(grid, cells, CellSize, [_cellX[_target], _cellY[_target]], why, _visited);
    }

    private float CellSize => (models.Shown.Arena.High - models.Shown.Arena.Low) / Cells;

    /// <summary>Encodes the agent at the centre of every free cell, once per layout.</summary>
    private void EncodeCells(float[] layout)
    {
        float lo = models.Shown.Arena.Low;
        var (xs, ys, index) = (new List<float>(), new List<float>(), new List<int>());
        for (int r = 0; r < Cells; r++)
            for (int c = 0; c < Cells; c++)
            {
                float x = lo + (c + 0.5f) * CellSize, y = lo + (r + 0.5f) * CellSize;
                if (!models.Shown.IsFree(layout, x, y)) continue;
                xs.Add(x);
                ys.Add(y);
                index.Add(r * Cells + c);
            }
        (_cellX, _cellY, _cellIndex) = (xs.ToArray(), ys.ToArray(), index.ToArray());
        _cellLatents = Encode(_cellX, _cellY, layout);
        _layout = layout;
        Reset(); // latents of another layout's frames are no memory of this one
    }

    private double[,] Encode(float[] xs, float[] ys, float[] layout)
    {
        var jepa = models.JepaModel ?? throw new InvalidOperationException("explore mode needs a JEPA");
        var states = xs.Zip(ys).SelectMany(p => models.Shown.StateAt(p.First, p.Second)).ToArray();
        var layouts = Enumerable.Repeat(layout, xs.Length).SelectMany(l => l).ToArray();
        return PositionProbe.Encode(jepa.Model, models.Device, scenes, renderer, states, layouts, xs.Length);
    }
}
