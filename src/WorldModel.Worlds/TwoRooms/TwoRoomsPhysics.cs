namespace WorldModel.Worlds.TwoRooms;

/// <summary>
/// Point-agent motion with exact first-contact stops: the move p → p + d is a segment, tested
/// against the open interiors of the wall pieces and against the border box; the agent stops
/// at the earliest contact, with the contact coordinate snapped onto the face so that rounding
/// can never leave it inside a wall. Sliding along a face (a zero component) is free motion.
/// </summary>
public static class TwoRoomsPhysics
{
    /// <summary>Moves (x, y) by (dx, dy); returns true when the move was stopped by a contact.</summary>
    public static bool Move(
        ref float x,
        ref float y,
        float dx,
        float dy,
        ReadOnlySpan<float> wallPieces,
        float borderLow,
        float borderHigh)
    {
        if (dx == 0 && dy == 0) return false;
        double t = 1.0;
        int axis = -1;
        float face = 0;

        // Border box: the agent must stay in [borderLow, borderHigh]².
        ExitTime(x, dx, borderLow, borderHigh, 0, ref t, ref axis, ref face);
        ExitTime(y, dy, borderLow, borderHigh, 1, ref t, ref axis, ref face);

        for (int p = 0; p + 3 < wallPieces.Length; p += 4)
            EntryTime(x, y, dx, dy, wallPieces[p], wallPieces[p + 1], wallPieces[p + 2], wallPieces[p + 3],
                ref t, ref axis, ref face);

        float nx, ny;
        if (axis < 0) { nx = x + dx; ny = y + dy; }
        else if (axis == 0) { nx = face; ny = (float)(y + t * dy); }
        else { nx = (float)(x + t * dx); ny = face; }

        // Rounding of the free coordinate must not land strictly inside a piece or outside the box.
        nx = Math.Clamp(nx, borderLow, borderHigh);
        ny = Math.Clamp(ny, borderLow, borderHigh);
        if (Inside(nx, ny, wallPieces)) return true; // stay where we were
        x = nx;
        y = ny;
        return axis >= 0;
    }

    public static bool Inside(float x, float y, ReadOnlySpan<float> wallPieces)
    {
        for (int p = 0; p + 3 < wallPieces.Length; p += 4)
            if (x > wallPieces[p] && x < wallPieces[p + 1] && y > wallPieces[p + 2] && y < wallPieces[p + 3])
                return true;
        return false;
    }

    private static void ExitTime(
        float pos,
        float d,
        float lo,
        float hi,
        int ax,
        ref double t,
        ref int axis,
        ref float face)
    {
        if (d > 0 && pos + d > hi) Earlier((hi - (double)pos) / d, hi, ax, ref t, ref axis, ref face);
        else if (d < 0 && pos + d < lo) Earlier((lo - (double)pos) / d, lo, ax, ref t, ref axis, ref face);
    }

    /// <summary>Slab test against the open box (x0, x1) × (y0, y1).</summary>
    private static void EntryTime(
        float px,
        float py,
        float dx,
        float dy,
        float x0,
        float x1,
        float y0,
        float y1,
        ref double t,
        ref int axis,
        ref float face)
    {
        double enter = double.NegativeInfinity, exit = double.PositiveInfinity;
        int enterAxis = -1;
        float enterFace = 0;
        if (!Slab(px, dx, x0, x1, 0, ref enter, ref exit, ref enterAxis, ref enterFace)) return;
        if (!Slab(py, dy, y0, y1, 1, ref enter, ref exit, ref enterAxis, ref enterFace)) return;
        // Touching a face or a corner (enter == exit) is not a collision with an open box.
        if (enter < exit && exit > 0 && enter < t)
            Earlier(Math.Max(enter, 0), enterFace, enterAxis, ref t, ref axis, ref face);
    }

    private static bool Slab(
        float p,
        float d,
        float lo,
        float hi,
        int ax,
        ref double enter,
        ref double exit,
        ref int enterAxis,
        ref float enterFace)
    {
        if (d == 0) return p > lo && p < hi; // moving parallel: hits only if strictly inside the slab
        double t0 = (lo - (double)p) / d, t1 = (hi - (double)p) / d;
        float f = lo;
        if (t0 > t1) { (t0, t1) = (t1, t0); f = hi; }
        if (t0 > enter) { enter = t0; enterAxis = ax; enterFace = f; }
        if (t1 < exit) exit = t1;
        return true;
    }

    private static void Earlier(double candidate, float f, int ax, ref double t, ref int axis, ref float face)
    {
        if (candidate < t || (axis < 0 && candidate <= t))
        {
            t = candidate;
            axis = ax;
            face = f;
        }
    }
}
