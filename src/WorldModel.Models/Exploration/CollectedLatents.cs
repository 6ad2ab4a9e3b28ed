using WorldModel.Data;
using WorldModel.Render;
using WorldModel.Sim;
using static TorchSharp.torch;

namespace WorldModel.Models.Exploration;

/// <summary>
/// States collected so far, seen through a model: a seeded sample of the dataset's states, their latents
/// (flattened), and each one's rarity (the distance to its k-th nearest neighbour among them, in latent space).
/// Novelty compares imagined latents with them; goal-directed exploration aims at the rarest.
/// </summary>
public sealed class CollectedLatents : IDisposable
{
    private CollectedLatents(
        float[] states,
        float[] layouts,
        Tensor latents,
        float[] rarity,
        int stateDim,
        int layoutDim)
    {
        States = states;
        Layouts = layouts;
        Latents = latents;
        Rarity = rarity;
        StateDim = stateDim;
        LayoutDim = layoutDim;
    }

    /// <summary>Count × StateDim true states (for goals and reports; models never see them).</summary>
    public float[] States { get; }
    /// <summary>Count × LayoutDim: each state's layout.</summary>
    public float[] Layouts { get; }
    /// <summary>(Count, D) flattened latents.</summary>
    public Tensor Latents { get; }
    /// <summary>Distance to the k-th nearest other latent: large where the data is thin.</summary>
    public float[] Rarity { get; }
    public int StateDim { get; }
    public int LayoutDim { get; }
    public int Count => Rarity.Length;

    /// <summary>
    /// Encodes <paramref name="count"/> states drawn uniformly from <paramref name="data"/> with <paramref
    /// name="seed"/>.
    /// </summary>
    public static CollectedLatents Encode(
        LatentWorldModel model,
        Dataset data,
        IRenderer renderer,
        int count,
        ulong seed,
        Device device,
        int neighbours = 5)
    {
        int sd = data.Spec.StateDim, ld = data.Spec.LayoutDim;
        var (states, layouts) = data.DrawStates(count, Rng.Derive(seed, 0, stream: 31));
        var scenes = new SceneBuilder(data.Config.World, data.Config.Render);
        var frames = scenes.Render(renderer, states, layouts, count);
        return TorchGuard.Pure(() =>
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            model.eval();
            var chunks = new List<Tensor>();
            for (int first = 0; first < count; first += 512)
            {
                int n = Math.Min(512, count - first);
                int bytes = renderer.Format.BytesPerFrame;
                var f = frames.AsSpan(first * bytes, n * bytes).ToArray();
                chunks.Add(model.Encoder.call(FrameTensors.Frames(f, renderer.Format, n, device)).flatten(1));
            }
            var latents = cat(chunks, 0);
            // The k-th nearest neighbour's distance (the point itself is the 0-th).
            int k = Math.Min(neighbours, count - 1);
            var distances = cdist(latents, latents);
            var kth = distances.topk(k + 1, 1, largest: false).values[.., k];
            var rarity = Readback.Floats(kth);
            return new CollectedLatents(states, layouts, latents.DetachFromDisposeScope(), rarity, sd, ld);
        });
    }

    /// <summary>
    /// Indices of the <paramref name="count"/> rarest states, each new one at least <paramref name="spacing"/>
    /// (latent distance) from those already picked, so goals spread over the thin parts of the data.
    /// </summary>
    public int[] Rarest(int count, float spacing)
    {
        var order = Enumerable.Range(0, Count).OrderByDescending(i => Rarity[i]).ToArray();
        var picked = new List<int>();
        using var _ = no_grad();
        foreach (int i in order)
        {
            if (picked.Count == count) break;
            using var scope = NewDisposeScope(); // the pairs' temporaries, on whatever device the latents live
            bool far = picked.All(j => (Latents[i] - Latents[j]).pow(2).sum().sqrt().item<float>() >= spacing);
            if (far) picked.Add(i);
        }
        // Too few far apart: repeat the rarest ones.
        for (int i = 0; picked.Count < count; i++) picked.Add(order[i % order.Length]);
        return picked.ToArray();
    }

    public void Dispose() => Latents.Dispose();
}
