namespace WorldModel.Sim.Worlds;

/// <summary>
/// Steps world ranges on all cores once a batch is large enough to pay for it. Results do not
/// depend on the split: each world's state and random stream are its own.
/// </summary>
public static unsafe class ParallelStep
{
    public delegate void RangeStep(Span<float> actions, int from, int to);

    public static void Run(Span<float> actions, int count, int threshold, RangeStep step)
    {
        if (count < threshold)
        {
            step(actions, 0, count);
            return;
        }
        fixed (float* p = actions)
        {
            nint ptr = (nint)p;
            int chunks = Environment.ProcessorCount * 4, len = actions.Length;
            Parallel.For(0, chunks, k => step(new Span<float>((float*)ptr, len),
                (int)((long)count * k / chunks), (int)((long)count * (k + 1) / chunks)));
        }
    }
}
