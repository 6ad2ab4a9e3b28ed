namespace WorldModel.Plan.Models;

/// <summary>
/// Distance the oracle scores. Straight: straight line to the goal (Two-Rooms: the agent's; Push-Ball:
/// the ball's). Geodesic (Two-Rooms): the shortest path through the door. Shaped (Push-Ball): the
/// ball's distance plus the agent's distance to the spot behind the ball it must push from.
/// </summary>
public enum OracleCost { Straight, Geodesic, Shaped }
