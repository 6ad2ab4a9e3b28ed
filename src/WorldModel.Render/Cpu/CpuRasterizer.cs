namespace WorldModel.Render.Cpu;

/// <summary>
/// The reference renderer: bounding-box fill, parallel over frames. Walls rarely change between
/// consecutive frames (same episode or fixed layout), so each worker keeps the last wall image
/// and only redraws the pixels under the moving disks.
/// </summary>
public sealed class CpuRasterizer(FrameFormat format) : IRenderer
{
    private const int FramesPerTask = 32;

    // One scratch worker per thread, kept across calls: its wall cache survives between batches.
    private readonly ThreadLocal<Worker> _workers = new(() => new Worker(format));

    public string Name => "cpu";
    public FrameFormat Format { get; } = format.Motion
        ? throw new ArgumentException("draws single frames; RendererFactory.Create adds motion", nameof(format))
        : format;

    public unsafe void Render(SceneBatch scenes, Span<byte> frames)
    {
        int bpf = Format.BytesPerFrame;
        if (frames.Length < scenes.Count * bpf)
            throw new ArgumentException(
                $"frame buffer holds {frames.Length} bytes; {scenes.Count} frames need {scenes.Count * bpf}");
        int tasks = (scenes.Count + FramesPerTask - 1) / FramesPerTask;
        if (tasks == 1)
        {
            _workers.Value!.Draw(scenes, 0, scenes.Count, frames);
            return;
        }
        fixed (byte* p = frames)
        {
            nint ptr = (nint)p;
            int len = frames.Length;
            Parallel.For(0, tasks, t =>
            {
                int from = t * FramesPerTask, to = Math.Min(scenes.Count, from + FramesPerTask);
                _workers.Value!.Draw(scenes, from, to, new Span<byte>((byte*)ptr, len));
            });
        }
    }

    public void Dispose() => _workers.Dispose();

    /// <summary>Per-thread scratch: the last wall rectangles seen, their coverage and their shaded image.</summary>
    private sealed class Worker(FrameFormat format)
    {
        private readonly float[] _lastRects = new float[SceneBatch.MaxRects * 4];
        private readonly float[] _wallCoverage = new float[format.Size * format.Size];
        private readonly byte[] _wallImage = new byte[format.BytesPerFrame];
        private bool _valid;
        private byte[]? _background, _solidRow;

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
            int n = format.Size, c = format.Channels;
            if (_background is null || _solidRow is null)
            {
                // An empty frame, and a fully covered wall pixel: most pixels are one of the two.
                _background = new byte[format.BytesPerFrame];
                _solidRow = new byte[n * c];
                Shading.Shade(0f, 0f, 0f, format, _solidRow);
                for (int p = 0; p < n * n; p++) _solidRow.AsSpan(0, c).CopyTo(_background.AsSpan(p * c, c));
                Shading.Shade(1f, 0f, 0f, format, _solidRow);
                for (int i = 1; i < n; i++) _solidRow.AsSpan(0, c).CopyTo(_solidRow.AsSpan(i * c, c));
            }
            Array.Clear(_wallCoverage);
            _background.CopyTo(_wallImage, 0);
            // Pass 0 sums coverage in slot order (as the GL shader does); pass 1 shades the touched pixels.
            // A rectangle's interior pixels are fully covered: they are filled in bulk. Coverage ≥ 1 shades
            // the same whatever the exact sum, so setting them to 1 keeps GL parity.
            for (int pass = 0; pass < 2; pass++)
                for (int r = 0; r < SceneBatch.MaxRects; r++)
                {
                    float x0 = rects[4 * r], x1 = rects[4 * r + 1], y0 = rects[4 * r + 2], y1 = rects[4 * r + 3];
                    if (x1 <= x0 || y1 <= y0) continue;
                    int i0 = Math.Max(0, (int)MathF.Floor(x0)), i1 = Math.Min(n - 1, (int)MathF.Ceiling(x1) - 1);
                    int j0 = Math.Max(0, (int)MathF.Floor(y0)), j1 = Math.Min(n - 1, (int)MathF.Ceiling(y1) - 1);
                    int ii0 = Math.Max(i0, (int)MathF.Ceiling(x0)), ii1 = Math.Min(i1, (int)MathF.Floor(x1) - 1);
                    int jj0 = Math.Max(j0, (int)MathF.Ceiling(y0)), jj1 = Math.Min(j1, (int)MathF.Floor(y1) - 1);
                    for (int j = j0; j <= j1; j++)
                    {
                        bool interiorRow = j >= jj0 && j <= jj1 && ii0 <= ii1;
                        for (int i = i0; i <= i1; i++)
                        {
                            if (interiorRow && i == ii0)
                            {
                                int count = ii1 - ii0 + 1;
                                if (pass == 0) _wallCoverage.AsSpan(j * n + ii0, count).Fill(1f);
                                else _solidRow.AsSpan(0, count * c).CopyTo(_wallImage.AsSpan((j * n + ii0) * c));
                                i = ii1;
                                continue;
                            }
                            int p = j * n + i;
                            if (pass == 0) { _wallCoverage[p] += Shading.RectCoverage(i, j, x0, x1, y0, y1); continue; }
                            float cov = _wallCoverage[p];
                            if (cov >= 1f) _solidRow.AsSpan(0, c).CopyTo(_wallImage.AsSpan(p * c, c));
                            else Shading.Shade(cov, 0f, 0f, format, _wallImage.AsSpan(p * c, c));
                        }
                    }
                }
        }

        private void DrawDisks(ReadOnlySpan<float> disks, Span<byte> frame)
        {
            int n = format.Size, c = format.Channels;
            for (int d = 0; d < SceneBatch.MaxDisks; d++)
            {
                float r = disks[4 * d + 2];
                if (r <= 0) continue;
                float cx = disks[4 * d], cy = disks[4 * d + 1], reach = r + 0.5f;
                int i0 = Math.Max(0, (int)MathF.Floor(cx - reach - 0.5f)),
                    i1 = Math.Min(n - 1, (int)MathF.Ceiling(cx + reach));
                int j0 = Math.Max(0, (int)MathF.Floor(cy - reach - 0.5f)),
                    j1 = Math.Min(n - 1, (int)MathF.Ceiling(cy + reach));
                for (int j = j0; j <= j1; j++)
                    for (int i = i0; i <= i1; i++)
                    {
                        // Every disk counts at this pixel, so overlapping disks shade the same wherever drawn.
                        float ball = 0f, agent = 0f;
                        for (int e = 0; e < SceneBatch.MaxDisks; e++)
                        {
                            float re = disks[4 * e + 2];
                            if (re <= 0) continue;
                            // Outside this disk's box its coverage is exactly 0.
                            if (MathF.Abs(i + 0.5f - disks[4 * e]) >= re + 0.5f
                                || MathF.Abs(j + 0.5f - disks[4 * e + 1]) >= re + 0.5f)
                                continue;
                            float cov = Shading.DiskCoverage(i, j, disks[4 * e], disks[4 * e + 1], re);
                            if ((ShapeKind)(int)disks[4 * e + 3] == ShapeKind.Ball) ball += cov; else agent += cov;
                        }
                        Shading.Shade(_wallCoverage[j * n + i], ball, agent, format, frame.Slice((j * n + i) * c, c));
                    }
            }
        }
    }
}
