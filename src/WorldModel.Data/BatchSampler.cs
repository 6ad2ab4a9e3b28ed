using System.Collections.Concurrent;
using WorldModel.Render;
using WorldModel.Sim;

namespace WorldModel.Data;

/// <summary>
/// Draws random sub-sequences (random episode, random start) of a dataset. Batch k depends only
/// on (seed, k), so a resumed training run draws the same batches. Frames come from the cache
/// when the dataset has them in the requested format, else they are rendered on the fly.
/// </summary>
public sealed class BatchSampler
{
    private readonly Dataset _data;
    private readonly IRenderer? _renderer;
    private readonly SceneBuilder _builder;
    private readonly bool _useCache;

    public BatchSampler(
        Dataset data,
        int batchSize,
        int length,
        ulong seed,
        IRenderer? renderer,
        RenderConfig? render = null,
        int frameStride = 1)
    {
        if (length < 1 || length > data.Steps + 1)
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"sequence length must be 1 to {data.Steps + 1} " +
                $"(the dataset's episodes have {data.Steps + 1} states)");
        if (frameStride < 1 || (length - 1) % frameStride != 0)
            throw new ArgumentOutOfRangeException(nameof(frameStride), frameStride,
                $"the frame stride must divide the sequence's {length - 1} steps");
        FrameStride = frameStride;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _data = data;
        BatchSize = batchSize;
        Length = length;
        Seed = seed;
        var renderConfig = render ?? data.Config.Render;
        _builder = new SceneBuilder(data.Config.World, renderConfig);
        // The cache serves any renderer kind: gl and cpu frames are identical.
        _useCache = data.Manifest.FrameBytes > 0
            && renderConfig with { Renderer = data.Config.Render.Renderer } == data.Config.Render;
        _renderer = renderer;
        if (!_useCache && renderer is null)
            throw new ArgumentNullException(nameof(renderer),
                "the dataset has no cached frames in this format: a renderer is needed");
        if (renderer is not null && renderer.Format != _builder.Format)
            throw new ArgumentException($"renderer draws {renderer.Format}, the sampler needs {_builder.Format}");
    }

    public int BatchSize { get; }
    public int Length { get; }
    /// <summary>Frames are drawn for every FrameStride-th state only (states and actions for all).</summary>
    public int FrameStride { get; }
    public ulong Seed { get; }
    public FrameFormat Format => _builder.Format;

    public Batch Sample(long index)
    {
        ulong rng = Rng.Derive(Seed, (ulong)index, stream: 7);
        int B = BatchSize, L = Length, sd = _data.Spec.StateDim, ad = _data.Spec.ActionDim, ld = _data.Spec.LayoutDim;
        var episodes = new int[B];
        var starts = new int[B];
        var states = new float[B * L * sd];
        var actions = new float[B * (L - 1) * ad];
        var layouts = new float[B * L * ld];
        for (int b = 0; b < B; b++)
        {
            int e = (int)(Rng.Next(ref rng) % (ulong)_data.Episodes);
            int s = (int)(Rng.Next(ref rng) % (ulong)(_data.Steps + 2 - L));
            episodes[b] = e;
            starts[b] = s;
            for (int t = 0; t < L; t++)
            {
                _data.State(e, s + t).CopyTo(states.AsSpan((b * L + t) * sd, sd));
                _data.Layout(e).CopyTo(layouts.AsSpan((b * L + t) * ld, ld));
                if (t < L - 1) _data.Action(e, s + t).CopyTo(actions.AsSpan((b * (L - 1) + t) * ad, ad));
            }
        }

        int fb = Format.BytesPerFrame, k = FrameStride, F = (L - 1) / k + 1;
        var frames = new byte[(long)B * F * fb];
        if (_useCache)
        {
            for (int b = 0; b < B; b++)
                for (int f = 0; f < F; f++)
                    _data.Frames.AsSpan((episodes[b] * (_data.Steps + 1) + starts[b] + f * k) * fb, fb)
                        .CopyTo(frames.AsSpan((b * F + f) * fb));
        }
        else
        {
            var scenes = new SceneBatch(B * F);
            if (k == 1) _builder.BuildAll(scenes, states, layouts);
            else
                for (int b = 0; b < B; b++)
                    for (int f = 0; f < F; f++)
                        _builder.Build(scenes, b * F + f, states.AsSpan((b * L + f * k) * sd, sd),
                            layouts.AsSpan((b * L + f * k) * ld, ld));
            _renderer!.Render(scenes, frames);
        }
        return new Batch(
            Size: B,
            Length: L,
            Format: Format,
            Frames: frames,
            States: states,
            Actions: actions,
            Episodes: episodes,
            Starts: starts,
            FrameStride: k);
    }

    /// <summary>
    /// Batches first, first + 1, … drawn on a background thread, <paramref name="prefetch"/> ahead of the consumer.
    /// </summary>
    public IEnumerable<Batch> Stream(long first = 0, int prefetch = 2, CancellationToken cancel = default)
    {
        using var queue = new BlockingCollection<Batch>(prefetch);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var producer = Task.Run(() =>
        {
            try { for (long k = first; !stop.IsCancellationRequested; k++) queue.Add(Sample(k), stop.Token); }
            catch (OperationCanceledException) { }
            finally { queue.CompleteAdding(); }
        }, CancellationToken.None); // always started, so the finally below can wait for it; it watches `stop` itself
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancel)) yield return batch;
        }
        finally
        {
            stop.Cancel();
            // the producer ends once `stop` is cancelled
            try { producer.Wait(CancellationToken.None); } catch (AggregateException) { }
        }
        producer.GetAwaiter().GetResult(); // surface a producer failure
    }
}
