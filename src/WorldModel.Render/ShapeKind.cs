namespace WorldModel.Render;

/// <summary>What a shape is; in the channels layout each kind present in a world gets one channel.</summary>
public enum ShapeKind
{
    Agent = 0,
    Walls = 1,
    Ball = 2,
}
