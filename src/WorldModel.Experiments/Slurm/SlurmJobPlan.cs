using WorldModel.Experiments.Graph;

namespace WorldModel.Experiments.Slurm;

/// <summary>
/// Which jobs a run's unfinished units become: units that differ only by seed (a model's training, or its
/// planning at one horizon, over the seeds) share one array job; every other unit is a job of its own. Jobs
/// come in dependency order, so each can name the jobs it waits for when it is submitted.
/// </summary>
public static class SlurmJobPlan
{
    /// <summary>The largest array index Slurm takes by default (MaxArraySize = 1001); larger seeds run alone.</summary>
    public const int MaxArrayIndex = 1000;

    /// <summary>The jobs for <paramref name="units"/> (given in graph order), dependencies first.</summary>
    public static IReadOnlyList<SlurmJobSpec> Plan(IReadOnlyList<ExperimentUnit> units)
    {
        var groups = new List<(string Key, List<ExperimentUnit> Units, string? Prefix, string? Suffix)>();
        foreach (var unit in units)
        {
            var (prefix, suffix) = SeedTemplate(unit);
            string key = prefix is null ? unit.Id : $"{prefix}{{seed}}{suffix}";
            int at = groups.FindIndex(g => g.Key == key);
            if (at >= 0) groups[at].Units.Add(unit);
            else groups.Add((key, [unit], prefix, suffix));
        }
        // A lone seed is a plain job: an array of one only makes ids longer.
        var specs = groups.Select(g => g.Units.Count > 1
            ? new SlurmJobSpec(g.Units, g.Prefix, g.Suffix)
            : new SlurmJobSpec(g.Units, null, null)).ToList();
        return DependenciesFirst(specs);
    }

    /// <summary>
    /// The unit's id around its seed ("train/jepa-seed" and "-high" for "train/jepa-seed3-high"), or nulls when it
    /// is not one seed of several (or its seed is too large for an array index).
    /// </summary>
    private static (string? Prefix, string? Suffix) SeedTemplate(ExperimentUnit unit)
    {
        if (unit.ReplicaSeed is not { } seed || seed > MaxArrayIndex) return (null, null);
        string token = $"-seed{seed}";
        int at = unit.Id.LastIndexOf(token, StringComparison.Ordinal);
        int end = at + token.Length;
        if (at < 0 || (end < unit.Id.Length && char.IsAsciiDigit(unit.Id[end]))) return (null, null);
        return (unit.Id[..(at + "-seed".Length)], unit.Id[end..]);
    }

    /// <summary>The jobs ordered so that every job comes after the jobs holding its units' inputs.</summary>
    private static List<SlurmJobSpec> DependenciesFirst(List<SlurmJobSpec> specs)
    {
        var jobOf = specs.SelectMany(s => s.Units.Select(u => (u, s))).ToDictionary(x => x.u, x => x.s);
        var ordered = new List<SlurmJobSpec>();
        // false: being visited, true: placed
        var state = new Dictionary<SlurmJobSpec, bool>(ReferenceEqualityComparer.Instance);
        foreach (var spec in specs) Visit(spec);
        return ordered;

        void Visit(SlurmJobSpec spec)
        {
            if (state.TryGetValue(spec, out bool placed))
            {
                if (!placed)
                    throw new InvalidOperationException($"jobs wait for each other in a circle through {spec.Name}");
                return;
            }
            state[spec] = false;
            foreach (var input in spec.Units.SelectMany(u => u.DependsOn))
                if (jobOf.TryGetValue(input, out var other) && other != spec) Visit(other);
            state[spec] = true;
            ordered.Add(spec);
        }
    }
}
