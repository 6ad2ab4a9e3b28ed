using WorldModel.Sim;

namespace WorldModel.Worlds.PointAgent;

/// <summary>
/// Point-agent motion among axis-aligned walls with exact first contacts (Two-Rooms, Maze): the move
/// p → p + d is a segment, tested against the open interiors of the wall pieces and against the border
/// box; the agent meets the earliest contact, with the contact coordinate snapped onto the face so that
/// rounding can never leave it inside a wall. What happens next is the <see cref="ContactRule"/>.
/// Moving along a face (a zero component into it) is free motion.
/// </summary>
public static class PointPhysics
{
    /// <summary>
    /// World <paramref name="i"/>'s action (actions[2i], actions[2i + 1]), clipped to norm <paramref name="maxStep"/>
    /// in place (so callers record what was applied); a non-finite action is refused naming the world.
    /// </summary>
    public static (float Dx, float Dy) ClipAction(Span<float> actions, int i, float maxStep)
    {
        float dx = actions[2 * i], dy = actions[2 * i + 1];
        if (!float.IsFinite(dx) || !float.IsFinite(dy))
            throw new ArgumentException($"action of world {i} is not finite: ({dx}, {dy})");
        float norm2 = dx * dx + dy * dy;
        if (norm2 > maxStep * maxStep)
        {
            float s = maxStep / MathF.Sqrt(norm2);
            dx *= s; dy *= s;
            actions[2 * i] = dx; actions[2 * i + 1] = dy;
        }
        return (dx, dy);
    }

    /// <summary>PLDM's inset from a face after a contact (their wall env), in px.</summary>
    public const float PldmInset = 0.3f;

    /// <summary>
    /// One step by (dx, dy) under <paramref name="rule"/>; <paramref name="noise"/> is the contact noise σ (px),
    /// drawn from <paramref name="rng"/> only at contacts. Returns true when the move met a contact.
    /// </summary>
    public static bool Step(
        ref float x,
        ref float y,
        float dx,
        float dy,
        ReadOnlySpan<float> wallPieces,
        float borderLow,
        float borderHigh,
        ContactRule rule,
        float noise,
        ref ulong rng)
    {
        var first = Move(ref x, ref y, dx, dy, wallPieces, borderLow, borderHigh);
        if (!first.Hit) return false;
        switch (rule)
        {
            case ContactRule.Pldm:
                PutBack(ref x, ref y, first, wallPieces, borderLow, borderHigh, noise, ref rng);
                return true;
            case ContactRule.Slide:
                // The rest of the move without its part into the face; a slide may meet a second face (a corner).
                var hit = first;
                for (int slide = 0; slide < 2 && hit.Hit; slide++)
                {
                    float rest = (float)(1 - hit.T);
                    if (hit.Axis == 0) { dx = 0; dy *= rest; } else { dy = 0; dx *= rest; }
                    hit = Move(ref x, ref y, dx, dy, wallPieces, borderLow, borderHigh);
                }
                break;
        }
        if (noise > 0)
        {
            // Stop and slide: a jitter after the contact, moved as a second, checked segment.
            float nx = noise * Rng.Normal(ref rng), ny = noise * Rng.Normal(ref rng);
            Move(ref x, ref y, nx, ny, wallPieces, borderLow, borderHigh);
        }
        return true;
    }

    /// <summary>
    /// A first contact: when along the segment it happened (T in [0, 1]), on which axis's face, and the
    /// sign of the face's normal on the side the agent came from.
    /// </summary>
    public readonly record struct Contact(bool Hit, double T, int Axis, float Normal);

    /// <summary>PLDM's rule: back inside the room, off the face (see <see cref="ContactRule.Pldm"/>).</summary>
    private static void PutBack(
        ref float x,
        ref float y,
        Contact contact,
        ReadOnlySpan<float> pieces,
        float lo,
        float hi,
        float noise,
        ref ulong rng)
    {
        float along = 0, off = 0;
        if (noise > 0)
        {
            off = MathF.Abs(noise * Rng.Normal(ref rng));
            along = noise * Rng.Normal(ref rng);
        }
        // Where the agent touches the face, and candidates: noisy, else the plain inset, else the contact point.
        float cx = x, cy = y;
        if (off > 0 && TryPlace(ref x, ref y, cx, cy, contact, off, along, pieces, lo, hi)) return;
        if (TryPlace(ref x, ref y, cx, cy, contact, PldmInset, 0, pieces, lo, hi)) return;
        (x, y) = (cx, cy);
    }

    private static bool TryPlace(
        ref float x,
        ref float y,
        float cx,
        float cy,
        Contact contact,
        float off,
        float along,
        ReadOnlySpan<float> pieces,
        float lo,
        float hi)
    {
        float nx = cx, ny = cy;
        if (contact.Axis == 0) { nx += contact.Normal * off; ny += along; }
        else { ny += contact.Normal * off; nx += along; }
        nx = Math.Clamp(nx, lo, hi);
        ny = Math.Clamp(ny, lo, hi);
        // On the face or past it (clamped back onto the border), or inside another piece: not a place.
        float normalOffset = contact.Axis == 0 ? (nx - cx) * contact.Normal : (ny - cy) * contact.Normal;
        if (normalOffset <= 0 || Inside(nx, ny, pieces) || OnFace(nx, ny, pieces, lo, hi)) return false;
        (x, y) = (nx, ny);
        return true;
    }

    /// <summary>Whether (x, y) lies on the border or on the boundary of a piece.</summary>
    private static bool OnFace(float x, float y, ReadOnlySpan<float> pieces, float lo, float hi)
    {
        if (x <= lo || x >= hi || y <= lo || y >= hi) return true;
        for (int p = 0; p + 3 < pieces.Length; p += 4)
            if (x >= pieces[p] && x <= pieces[p + 1] && y >= pieces[p + 2] && y <= pieces[p + 3]) return true;
        return false;
    }

    /// <summary>Moves (x, y) by (dx, dy) up to the first contact, if any (the stop rule).</summary>
    public static Contact Move(
        ref float x,
        ref float y,
        float dx,
        float dy,
        ReadOnlySpan<float> wallPieces,
        float borderLow,
        float borderHigh)
    {
        if (dx == 0 && dy == 0) return default;
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
        // The face's normal points back where the agent came from.
        int hitAxis = Math.Max(axis, 0);
        var contact = new Contact(true, axis < 0 ? 0 : t, hitAxis, (hitAxis == 0 ? dx : dy) > 0 ? -1 : 1);
        if (Inside(nx, ny, wallPieces)) return contact with { T = 0 }; // rounding: stay where we were
        if (axis < 0) contact = default;
        x = nx;
        y = ny;
        return contact;
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
