namespace WorldModel.Worlds;

/// <summary>
/// A world the browser demo can show: a point agent the class places and sends to a clicked goal in a
/// square arena, on layouts it can draw and outline. A world without it still trains, plans and reports;
/// `wm demo` says that it cannot show it. Layouts are the world's layout values (its LayoutDim floats).
/// </summary>
public interface IDemoWorld
{
    /// <summary>The square the agent lives in: [Low, High]² in world units.</summary>
    (float Low, float High) Arena { get; }

    /// <summary>
    /// True when the models were trained on one fixed layout, so any other one is out of their distribution.
    /// </summary>
    bool TrainedOnOneLayout { get; }

    /// <summary>
    /// The layout the demo opens on: the training layout when it is fixed, else one drawn from
    /// <paramref name="seed"/>.
    /// </summary>
    float[] FirstLayout(ulong seed);

    /// <summary>Another layout, drawn at random even when the models were trained on a fixed one.</summary>
    float[] OtherLayout(ref ulong rng);

    /// <summary>
    /// Whether the agent may stand at (x, y): inside the arena and clear of every obstacle by
    /// <paramref name="margin"/>.
    /// </summary>
    bool IsFree(ReadOnlySpan<float> layout, float x, float y, float margin = 1f);

    /// <summary>A uniform free point at least <paramref name="margin"/> from every obstacle.</summary>
    (float X, float Y) SampleFreePoint(ReadOnlySpan<float> layout, ref ulong rng, float margin);

    /// <summary>The obstacles the page outlines, as rectangles (x0, x1, y0, y1) clipped to the arena.</summary>
    float[] Obstacles(ReadOnlySpan<float> layout);

    /// <summary>
    /// A first task on <paramref name="layout"/> that a small trained model can do (the class starts with a
    /// success).
    /// </summary>
    (float AgentX, float AgentY, float GoalX, float GoalY) FirstTask(ReadOnlySpan<float> layout);

    /// <summary>
    /// The simulator state with the agent at (x, y): what a plan starts from and, for a goal, aims for.
    /// </summary>
    float[] StateAt(float x, float y);

    /// <summary>Where the agent is in <paramref name="state"/>.</summary>
    (float X, float Y) AgentAt(ReadOnlySpan<float> state);
}
