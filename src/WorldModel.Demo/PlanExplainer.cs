using WorldModel.Plan.Models;
using WorldModel.Plan.Mpc;
using WorldModel.Plan.Planners;
using WorldModel.Render;
using WorldModel.Report;

namespace WorldModel.Demo;

/// <summary>
/// What the page shows about one plan: the path the model expects, the candidates it weighed, its costs,
/// imagined frames and, planned in two levels, the high level's expected positions after each jump (subgoals) and
/// whether the low level aimed at the goal itself rather than the first of them.
/// </summary>
internal sealed record PlanView(
    float[] Path,
    string Source,
    float[][] Candidates,
    float[] Costs,
    double PlanMilliseconds,
    string? RealFrame,
    ImaginedFrame[] Imagined)
{
    public static readonly PlanView Empty = new(
        Path: [],
        Source: "",
        Candidates: [],
        Costs: [],
        PlanMilliseconds: 0,
        RealFrame: null,
        Imagined: []);
    public float[] MeanCosts { get; init; } = [];
    public float[] Subgoals { get; init; } = [];
    public bool AimAtGoal { get; init; }
}

/// <summary>
/// Explains a plan through the planning seam: a learned model's expected path is its imagined latents
/// read by a linear probe (<see cref="IImaginingModel"/>), the oracle's is the simulator's rollout; the
/// pixel model shows the frames it imagines along the chosen plan. A two-level plan's subgoals are the high level's
/// predictions after each jump, read the same way (<see cref="IJumpImaginingModel"/>).
/// </summary>
internal sealed class PlanExplainer(DemoModels models, SceneBuilder scenes, IRenderer renderer) : IDisposable
{
    public const int CandidatesShown = 32;
    private IPlanningModel? _pixel;

    /// <param name="state">Where the plan starts (x, y); <paramref name="layout"/> its layout.</param>
    /// <param name="high">The high level's plan when the model plans in two levels, else null.</param>
    public PlanView Explain(
        string name,
        CandidateRecorder planned,
        float[] state,
        float[] layout,
        float[] plan,
        int h,
        PlanResult found,
        double planMs,
        HighLevelStep? high = null)
    {
        float[] path;
        string source;
        if (models.Trained(name) is { } trained && planned.Imagination is { } imagination)
        {
            path = trained.Probe.Positions(imagination.ImagineLatents(plan, h));
            source = $"{name} latents read by a linear probe (RMSE {trained.Probe.Rmse:F1} px)";
        }
        else
        {
            // The oracle's expectation is the truth: roll the plan out on a copy of the simulator.
            var copy = models.World.CreateBatch(1);
            copy.Load(state, layout);
            path = new float[(h + 1) * 2];
            (path[0], path[1]) = copy.SuccessPoint(0);
            int a = models.World.Spec.ActionDim;
            for (int t = 0; t < h; t++)
            {
                var action = plan.AsSpan(t * a, a).ToArray();
                copy.Step(action);
                (path[2 * t + 2], path[2 * t + 3]) = copy.SuccessPoint(0);
            }
            source = "simulator";
        }
        var (real, imagined) = Imagine(state, layout, plan, h);
        var (x, y) = models.Shown.AgentAt(state);
        return new PlanView(
            Path: path,
            Source: source,
            Candidates: Candidates(planned, x, y),
            Costs: found.BestCostPerIteration[0],
            PlanMilliseconds: planMs,
            RealFrame: real,
            Imagined: imagined)
        {
            Subgoals = Subgoals(name, planned, high),
            AimAtGoal = high?.AimAtGoal[0] ?? false
        };
    }

    /// <summary>
    /// Where the high level expects the agent after each jump of the first episode's macro plan: a learned model's
    /// predicted latents read by its probe, the oracle's true states at the end of each stretch.
    /// </summary>
    private float[] Subgoals(string name, CandidateRecorder planned, HighLevelStep? high)
    {
        if (high is null || planned.Jumps is not { } jumps) return [];
        int perEpisode = high.MacroActions.Length / high.AimAtGoal.Length;
        var states = jumps.ImagineJumps(high.MacroActions.AsSpan(0, perEpisode), high.MacroSteps);
        if (models.Trained(name) is { } trained) return trained.Probe.Positions(states);
        return states.SelectMany(s => { var (x, y) = models.Shown.AgentAt(s); return new[] { x, y }; }).ToArray();
    }

    /// <summary>
    /// The pixel model's imagined future along the chosen plan, beside the real frame it starts from.
    /// </summary>
    private (string? Real, ImaginedFrame[] Imagined) Imagine(float[] state, float[] layout, float[] plan, int h)
    {
        if (models.PixelModel is not { Model.Decoder: not null }) return (null, []);
        _pixel ??= models.Create(DemoModels.Pixel);
        var frames = scenes.Render(renderer, state, layout, 1);
        _pixel.Observe(new Observations(1, renderer.Format, frames, state, layout));
        int[] ahead = new[] { 1, Math.Max(1, h / 4), Math.Max(1, h / 2), h }.Distinct().ToArray();
        var decoded = ((IImaginingModel)_pixel).ImagineFrames(plan, h, ahead)!;
        var format = scenes.Format;
        int size = format.Size, channels = format.Channels;
        var imagined = ahead
            .Select((k, i) => new ImaginedFrame(k, DataUrl(DemoFrames.ChannelsToRgb(decoded[i], format), size)))
            .ToArray();
        var realChw = new float[channels * size * size];
        for (int p = 0; p < size * size; p++)
            for (int c = 0; c < channels; c++) realChw[c * size * size + p] = frames[p * channels + c] / 255f;
        return (DataUrl(DemoFrames.ChannelsToRgb(realChw, format), size), imagined);
    }

    /// <summary>
    /// Candidates of the last iteration, drawn as where their actions would take the agent in open space.
    /// </summary>
    public float[][] Candidates(CandidateRecorder recorder, float x, float y)
    {
        var candidates = new List<float[]>();
        int n = recorder.LastCandidates, ch = recorder.LastHorizon;
        var (lo, hi) = models.Shown.Arena;
        int stride = Math.Max(1, n / CandidatesShown);
        for (int c = 0; c < n && candidates.Count < CandidatesShown; c += stride)
        {
            var pts = new float[(ch + 1) * 2];
            float cx = x, cy = y;
            (pts[0], pts[1]) = (cx, cy);
            for (int t = 0; t < ch; t++)
            {
                cx = Math.Clamp(cx + recorder.LastActions[(c * ch + t) * 2], lo, hi);
                cy = Math.Clamp(cy + recorder.LastActions[(c * ch + t) * 2 + 1], lo, hi);
                (pts[2 * t + 2], pts[2 * t + 3]) = (cx, cy);
            }
            candidates.Add(pts);
        }
        return candidates.ToArray();
    }

    public static string DataUrl(byte[] rgb, int size) =>
        "data:image/png;base64," + Convert.ToBase64String(PngWriter.Encode(new RgbImage(size, size, rgb)));

    public void Dispose() => _pixel?.Dispose();
}
