namespace WorldModel.Worlds.PointAgent;

/// <summary>What a point agent does when its move meets a wall or the border (Two-Rooms, Maze).</summary>
public enum ContactRule
{
    /// <summary>It stops at the first contact, on the face; the rest of the move is lost.</summary>
    Stop,
    /// <summary>
    /// The rest of the move continues along the face: the part into the wall is lost, the part along it is
    /// kept, so an agent pressed against a wall slides towards the door (natural physics).
    /// </summary>
    Slide,
    /// <summary>
    /// PLDM's evaluation environment (Sobal et al. 2025, their wall env): the agent is put back inside the
    /// room, 0.3 px off the face without noise; with noise σ at |N(0, σ²)| along the face's normal plus
    /// N(0, σ²) along the face (reset to the 0.3 px inset when that lands on or in a wall). The rest of the
    /// move is lost. For like-for-like comparisons with PLDM.
    /// </summary>
    Pldm,
}
