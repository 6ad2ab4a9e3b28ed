using WorldModel.Sim;
using WorldModel.Sim.Policies;

namespace WorldModel.Worlds.TwoRooms;

public sealed class RandomWalkPolicy(RandomWalkPolicyConfig config, TwoRoomsBatch world) : IPolicy
{
    private readonly ulong[] _rng = new ulong[world.Count];
    private readonly float[] _heading = new float[world.Count];
    // Door episodes walk to two waypoints (in front of the door, then past it) before walking freely.
    private readonly float[] _waypoints = new float[world.Count * 4];
    private readonly int[] _nextWaypoint = new int[world.Count];

    public void Reset(ReadOnlySpan<ulong> episodeSeeds)
    {
        for (int i = 0; i < world.Count; i++)
        {
            ref ulong rng = ref _rng[i];
            rng = Rng.Derive(episodeSeeds[i], 0, stream: 2);
            _heading[i] = Rng.Uniform(ref rng, -MathF.PI, MathF.PI);
            _nextWaypoint[i] = 2;
            if (Rng.Uniform(ref rng) >= config.DoorShare) continue;

            var layout = world.Layouts[i];
            // Cross at a random point of the door's width (1 px from its edges), not always its centre.
            float mid = (layout.WallLow + layout.WallHigh) / 2;
            float door = Rng.Uniform(ref rng, layout.DoorLow + 1, MathF.Max(layout.DoorLow + 1, layout.DoorHigh - 1));
            float half = (layout.WallHigh - layout.WallLow) / 2 + 2;
            int side = Rng.Uniform(ref rng) < 0.5f ? 0 : 1;
            float sign = side == 0 ? -1 : 1;
            Span<float> wp = _waypoints.AsSpan(i * 4, 4);
            // (across, along) → (x, y) depends on the wall's orientation.
            Set(wp[..2], mid + sign * half, door, layout.Orientation);
            Set(wp[2..], mid - sign * half, door, layout.Orientation);
            _nextWaypoint[i] = 0;
            for (int tries = 0; tries < 100; tries++)
            {
                var p = world.SampleFreePointInRoom(i, side, ref rng, world.Config.StartMargin);
                float ddx = p.X - wp[0], ddy = p.Y - wp[1];
                if (ddx * ddx + ddy * ddy <= config.DoorStartRadius * config.DoorStartRadius || tries == 99)
                {
                    world.X[i] = p.X; world.Y[i] = p.Y;
                    break;
                }
            }
        }
    }

    private static void Set(Span<float> xy, float across, float along, WallOrientation o)
    {
        if (o == WallOrientation.Vertical) { xy[0] = across; xy[1] = along; }
        else { xy[0] = along; xy[1] = across; }
    }

    public void Act(Span<float> actions)
    {
        for (int i = 0; i < world.Count; i++)
        {
            ref ulong rng = ref _rng[i];
            float mean = _heading[i];
            if (_nextWaypoint[i] < 2)
            {
                float wx = _waypoints[i * 4 + 2 * _nextWaypoint[i]], wy = _waypoints[i * 4 + 2 * _nextWaypoint[i] + 1];
                float dx = wx - world.X[i], dy = wy - world.Y[i];
                if (dx * dx + dy * dy < 1f) { _nextWaypoint[i]++; }
                mean = MathF.Atan2(dy, dx);
            }
            else if (world.Contact[i])
            {
                // Pressed against a wall: turn away rather than keep pushing into it.
                mean = Rng.Uniform(ref rng, -MathF.PI, MathF.PI);
            }
            float heading = Rng.VonMises(ref rng, mean, config.Kappa);
            float step = Rng.TruncatedNormal(ref rng, config.StepMean, config.StepStd, config.StepMin, config.StepMax);
            _heading[i] = heading;
            actions[2 * i] = step * MathF.Cos(heading);
            actions[2 * i + 1] = step * MathF.Sin(heading);
        }
    }
}
