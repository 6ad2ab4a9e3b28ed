using WorldModel.Data;

namespace WorldModel.Models.Evaluation;

/// <summary>
/// Where does the imagination fail: on the held-out sequences in which the world's rare event happens (a door
/// crossing, a ball contact), on those in which a wall stops the agent without it, or on free motion? The position
/// probe's error on latents imagined <see cref="Steps"/> steps on, per kind of sequence, beside "nothing moves" (the
/// first frame's probe against the position then). A planner that must route through a door needs the first small.
/// </summary>
/// <param name="Event">The world's name for its rare event ("door crossings").</param>
/// <param name="Parts">The rare event, stopped (the agent moved other than its action asked, without the event),
/// free; a part no sequence falls in is left out.</param>
public sealed record RareEventError(string Event, int Steps, IReadOnlyList<RareEventError.Part> Parts)
{
    /// <param name="Name">"door crossings", "stopped", "free".</param>
    /// <param name="Sequences">How many held-out sequences fall in it.</param>
    /// <param name="Imagined">Probe RMSE (px) of the latents imagined <see cref="Steps"/> steps on.</param>
    /// <param name="Still">The first frame's probe against the position <see cref="Steps"/> steps on (px).</param>
    public sealed record Part(string Name, int Sequences, double Imagined, double Still);

    public const string Stopped = "stopped", Free = "free";

    /// <summary>
    /// Each sequence of <paramref name="sample"/> (its first <paramref name="steps"/> steps) by kind: 0 the rare
    /// event, 1 stopped (the agent's position, the world's coverage entries, moved other than its action clipped to
    /// the world's action limit asked: a wall or border, or a ball, stood in the way), 2 free.
    /// </summary>
    public static int[] Kinds(IDatasetWorld world, float actionLimit, Dataset data, Batch sample, int steps)
    {
        int sd = data.Spec.StateDim, perSequence = sample.States.Length / sample.Size;
        int ad = data.Spec.ActionDim, perActions = sample.Actions.Length / sample.Size;
        var (x, y, _) = world.Coverage;
        var kinds = new int[sample.Size];
        for (int i = 0; i < sample.Size; i++)
        {
            var states = sample.States.AsSpan(i * perSequence, (steps + 1) * sd);
            if (world.CountRareEvents(states, steps, data.Layout(sample.Episodes[i])) > 0) continue; // kind 0
            kinds[i] = 2;
            for (int t = 0; t < steps && kinds[i] == 2; t++)
            {
                float ax = sample.Actions[i * perActions + t * ad], ay = sample.Actions[i * perActions + t * ad + 1];
                float norm = MathF.Sqrt(ax * ax + ay * ay);
                if (norm > actionLimit) (ax, ay) = (ax * actionLimit / norm, ay * actionLimit / norm);
                float dx = states[(t + 1) * sd + x] - states[t * sd + x];
                float dy = states[(t + 1) * sd + y] - states[t * sd + y];
                // 1e-3 px: well above float rounding of positions under 64, well below any contact's effect.
                if (MathF.Abs(dx - ax) + MathF.Abs(dy - ay) > 1e-3f) kinds[i] = 1;
            }
        }
        return kinds;
    }

    /// <summary>Null when every sequence is of one kind (nothing to compare).</summary>
    public static RareEventError? Measure(
        string name, int steps, int[] kinds, double[,] imagined, double[,] still, double[,] truth)
    {
        string[] names = [name, Stopped, Free];
        var parts = Enumerable.Range(0, 3).Where(k => kinds.Contains(k))
            .Select(k => new Part(names[k], kinds.Count(c => c == k), Rmse(imagined, truth, kinds, k),
                Rmse(still, truth, kinds, k)))
            .ToList();
        return parts.Count < 2 ? null : new RareEventError(name, steps, parts);
    }

    /// <summary>RMSE over every coordinate of the rows of kind <paramref name="kind"/>.</summary>
    private static double Rmse(double[,] predicted, double[,] truth, int[] kinds, int kind)
    {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] != kind) continue;
            for (int j = 0; j < truth.GetLength(1); j++)
            {
                double d = predicted[i, j] - truth[i, j];
                sum += d * d;
                count++;
            }
        }
        return Math.Sqrt(sum / count);
    }
}
