namespace WorldModel.Sim.Worlds;

/// <summary>Shapes of a world's vectors, with names for files and plots.</summary>
public sealed record WorldSpec(string Kind, string[] StateNames, string[] ActionNames, string[] LayoutNames)
{
    public int StateDim => StateNames.Length;
    public int ActionDim => ActionNames.Length;
    public int LayoutDim => LayoutNames.Length;
}
