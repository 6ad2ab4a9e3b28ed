namespace WorldModel.Render.Cpu;

/// <summary>
/// The reference renderer: bounding-box fill, parallel over frames. Walls rarely change between
/// consecutive frames (same episode or fixed layout), so each worker keeps the last wall image
/// and only redraws the pixels under the moving disks.
/// </summary>
public sealed class CpuRasterizer(FrameFormat format) : IRenderer
{
    private const int FramesPerTask = 32;

    public string Name => "cpu";
    public FrameFormat Format { get; } = format;

    public unsafe void Render(SceneBatch scenes, Span<byte> frames)
    {
        int bpf = Format.BytesPerFrame;
        if (frames.Length < scenes.Count * bpf)
            throw new ArgumentException($"frame buffer holds {frames.Length} bytes; {scenes.Count} frames need {scenes.Count * bpf}");
        int tasks = (scenes.Count + FramesPerTask - 1) / FramesPerTask;
        if (tasks == 1)
        {
            new Worker(Format).Draw(scenes, 0, scenes.Count, frames);
            return;
        }
        fixed (byte* p = frames)
        {
            nint ptr = (nint)p;
            int len = frames.Length;
            Parallel.For(0, tasks, () => new Worker(Format), (t, _, worker) =>
            {
                int from = t * FramesPerTask, to = Math.Min(scenes.Count, from + FramesPerTask);
                worker.Draw(scenes, from, to, new Span<byte>((byte*)ptr, len));
                return worker;
            }, _ => { });
        }
    }

    public void Dispose() { }

    /// <summary>Per-thread scratch: the last wall rectangles seen, their coverage and their shaded image.</summary>
    private sealed class Worker(FrameFormat format)
    {
        private readonly float[] _lastRects = new float[SceneBatch.MaxRects * 4];
        private readonly float[] _wallCoverage = new float[format.Size * format.Size];
        private readonly byte[] _wallImage = new byte[format.BytesPerFrame];
        private bool _valid;

        public void Draw(SceneBatch scenes, int from, int to, Span<byte> frames)
        {
            int bpf = format.BytesPerFrame;
            for (int i = from; i < to; i++)
            {
                var shapes = scenes.Shapes.AsSpan(i * SceneBatch.FloatsPerWorld, SceneBatch.FloatsPerWorld);
                var rects = shapes[..(SceneBatch.MaxRects * 4)];
                if (!_valid || !rects.SequenceEqual(_lastRects)) DrawWalls(rects);
                var frame = frames.Slice(i * bpf, bpf);
                _wallImage.CopyTo(frame);
                DrawDisks(shapes[(SceneBatch.MaxRects * 4)..], frame);
            }
        }

        private void DrawWalls(ReadOnlySpan<float> rects)
        {
            rects.CopyTo(_lastRects);
            _valid = true;
            int n = format.Size;
            Array.Clear(_wallCoverage);
            for (int r = 0; r < SceneBatch.MaxRects; r++)
            {
                float x0 = rects[4 * r], x1 = rects[4 * r + 1], y0 = rects[4 * r + 2], y1 = rects[4 * r + 3];
                if (x1 <= x0 || y1 <= y0) continue;
                int i0 = Math.Max(0, (int)MathF.Floor(x0)), i1 = Math.Min(n - 1, (int)MathF.Ceiling(x1) - 1);
                int j0 = Math.Max(0, (int)MathF.Floor(y0)), j1 = Math.Min(n - 1, (int)MathF.Ceiling(y1) - 1);
                for (int j = j0; j <= j1; j++)
                    for (int i = i0; i <= i1; i++)
                        _wallCoverage[j * n + i] += Shading.RectCoverage(i, j, x0, x1, y0, y1);
            }
            int c = format.Channels;
            for (int p = 0; p < n * n; p++) Shading.Shade(_wallCoverage[p], 0f, 0f, format, _wallImage.AsSpan(p * c, c));
        }

        private void DrawDisks(ReadOnlySpan<float> disks, Span<byte> frame)
        {
            int n = format.Size, c = format.Channels;
            for (int d = 0; d < SceneBatch.MaxDisks; d++)
            {
                float r = disks[4 * d + 2];
                if (r <= 0) continue;
                float cx = disks[4 * d], cy = disks[4 * d + 1], reach = r + 0.5f;
                int i0 = Math.Max(0, (int)MathF.Floor(cx - reach - 0.5f)), i1 = Math.Min(n - 1, (int)MathF.Ceiling(cx + reach));
                int j0 = Math.Max(0, (int)MathF.Floor(cy - reach - 0.5f)), j1 = Math.Min(n - 1, (int)MathF.Ceiling(cy + reach));
                for (int j = j0; j <= j1; j++)
                    for (int i = i0; i <= i1; i++)
                    {
                        // Every disk counts at this pixel, so overlapping disks shade the same wherever drawn.
                        float ball = 0f, agent = 0f;
                        for (int e = 0; e < SceneBatch.MaxDisks; e++)
                        {
                            float re = disks[4 * e + 2];
                            if (re <= 0) continue;
                            float cov = Shading.DiskCoverage(i, j, disks[4 * e], disks[4 * e + 1], re);
                            if ((ShapeKind)(int)disks[4 * e + 3] == ShapeKind.Ball) ball += cov; else agent += cov;
                        }
                        Shading.Shade(_wallCoverage[j * n + i], ball, agent, format, frame.Slice((j * n + i) * c, c));
                    }
            }
        }
    }
}
