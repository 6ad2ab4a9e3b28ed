using WorldModel.Core.Config;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using WorldModel.Cli.Terminal;
using WorldModel.Core.IO;
using WorldModel.Data;
using WorldModel.Render;
using WorldModel.Render.Cpu;
using WorldModel.Render.Gl;
using WorldModel.Sim;
using WorldModel.Sim.Policies;
using WorldModel.Sim.Worlds;
using WorldModel.Experiments;

namespace WorldModel.Cli.Commands;

/// <summary>`wm bench render | sim`: throughput numbers, printed with the machine they ran on.</summary>
public static class BenchCommands
{
    public static Command Build()
    {
        var bench = new Command("bench", "Benchmarks (speed is measured here, not in tests)");
        bench.Subcommands.Add(Render());
        bench.Subcommands.Add(Sim());
        bench.Subcommands.Add(TrainBench.Build());
        bench.Subcommands.Add(DemoCommand.Bench());
        return bench;
    }

    private static Option<double> SecondsOption() => new("--seconds")
    {
        Description = "Time spent per measurement",
        DefaultValueFactory = _ => 0.5,
    };

    private static Option<string?> JsonOutOption() => new("--out")
    {
        Description = "Also write the results as JSON to this file",
    };

    private static Command Render()
    {
        var batches = new Option<string>("--batches")
        {
            Description = "Comma-separated batch sizes",
            DefaultValueFactory = _ => "1,64,1024",
        };
        var layout = new Option<string>("--layout")
        {
            Description = "rgb or channels",
            DefaultValueFactory = _ => "rgb",
        };
        var seconds = SecondsOption();
        var outOpt = JsonOutOption();
        var cmd = new Command("render", "Frames per second of each renderer, per world and batch size")
        {
            batches, layout, seconds, outOpt,
        };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            var sizes = ParseBatches(parse.GetValue(batches)!);
            var obs = parse.GetValue(layout) switch
            {
                "rgb" => ObservationLayout.Rgb,
                "channels" => ObservationLayout.Channels,
                var other => throw new ArgumentException($"--layout '{other}' is not allowed; allowed: rgb, channels"),
            };
            double secs = parse.GetValue(seconds);
            AnsiConsole.MarkupLine($"machine: {Markup.Escape(MachineInfo.Describe())}");
            (string Name, WorldConfig World)[] worlds =
            [
                ("two-rooms fixed layout", World("""{"kind": "two-rooms"}""")),
                ("two-rooms random layouts", World("""{"kind": "two-rooms", "layout": {"kind": "random"}}""")),
                ("push-ball", World("""{"kind": "push-ball"}""")),
            ];
            var table = new Table()
                .Title($"frames/s, {obs.ToString().ToLowerInvariant()} 64×64 (incl. read-back)")
                .AddColumn("renderer")
                .AddColumn("batch");
            foreach (var w in worlds) table.AddColumn(new TableColumn(w.Name).RightAligned());
            var results = new JsonArray();
            foreach (var kind in new[] { "cpu", "gl" })
                foreach (int batch in sizes)
                {
                    var row = new List<string> { kind, batch.ToString() };
                    foreach (var (name, world) in worlds)
                    {
                        var builder = new SceneBuilder(world, new RenderConfig { Layout = obs });
                        IRenderer renderer;
                        try
                        {
                            renderer = kind == "cpu"
                                ? new CpuRasterizer(builder.Format)
                                : new GlRenderer(builder.Format);
                        }
                        catch (GlUnavailableException e)
                        {
                            row.Add("n/a");
                            AnsiConsole.MarkupLine($"[yellow]gl unavailable[/]: {Markup.Escape(e.Message)}");
                            continue;
                        }
                        using (renderer)
                        {
                            double rate = MeasureRender(renderer, builder, world, batch, secs);
                            row.Add(Format.Rate(rate));
                            results.Add(new JsonObject
                            {
                                ["renderer"] = renderer.Name,
                                ["world"] = name,
                                ["batch"] = batch,
                                ["framesPerSecond"] = rate,
                            });
                            if (batch == sizes[0] && name == worlds[0].Name)
                                AnsiConsole.MarkupLine($"{kind}: {Markup.Escape(renderer.Name)}");
                        }
                    }
                    table.AddRow(row.ToArray());
                }
            AnsiConsole.Write(table);
            // The CPU rasteriser is the reference: on a new GL driver (e.g. NVIDIA's) check it
            // draws the same frames, value by value, before trusting it for datasets.
            foreach (var (name, world) in worlds)
            {
                var parity = CompareWithCpu(world, obs, 256);
                if (parity is null) break;
                var (differing, total, maxDiff) = parity.Value;
                AnsiConsole.MarkupLine($"gl vs cpu, {Markup.Escape(name)}, 256 frames: " +
                    $"{(differing == 0
                        ? "[green]identical[/]"
                        : $"[red]{differing:N0} of {total:N0} values differ (max {maxDiff})[/]")}");
                results.Add(new JsonObject
                {
                    ["parity"] = name,
                    ["frames"] = 256,
                    ["differingValues"] = differing,
                    ["values"] = total,
                    ["maxDifference"] = maxDiff,
                });
            }
            Save(parse.GetValue(outOpt), "render", results);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private static (long Differing, long Total, int MaxDiff)? CompareWithCpu(
        WorldConfig world, ObservationLayout obs, int batch)
    {
        var builder = new SceneBuilder(world, new RenderConfig { Layout = obs });
        GlRenderer gl;
        try { gl = new GlRenderer(builder.Format); }
        catch (GlUnavailableException) { return null; }
        using (gl)
        using (var cpu = new CpuRasterizer(builder.Format))
        {
            var scenes = RolloutScenes(builder, world, batch);
            var a = new byte[batch * builder.Format.BytesPerFrame];
            var b = new byte[a.Length];
            cpu.Render(scenes, a);
            gl.Render(scenes, b);
            long differing = 0;
            int maxDiff = 0;
            for (int i = 0; i < a.Length; i++)
                if (a[i] != b[i]) { differing++; maxDiff = Math.Max(maxDiff, Math.Abs(a[i] - b[i])); }
            return (differing, a.Length, maxDiff);
        }
    }

    private static SceneBatch RolloutScenes(SceneBuilder builder, WorldConfig world, int batch)
    {
        // Scenes from a short uniform-policy rollout: realistic positions and layouts.
        var w = world.CreateBatch(batch);
        var seeds = Enumerable.Range(0, batch).Select(i => (ulong)i).ToArray();
        w.Reset(seeds);
        var policy = new UniformPolicyConfig().Create(w);
        policy.Reset(seeds);
        var a = new float[batch * w.Spec.ActionDim];
        for (int t = 0; t < 3; t++) { policy.Act(a); w.Step(a); }
        var states = new float[batch * w.Spec.StateDim];
        var layouts = new float[batch * w.Spec.LayoutDim];
        w.CopyState(states);
        w.CopyLayout(layouts);
        var scenes = new SceneBatch(batch);
        builder.BuildAll(scenes, states, layouts);
        return scenes;
    }

    private static double MeasureRender(
        IRenderer renderer, SceneBuilder builder, WorldConfig world, int batch, double seconds)
    {
        var scenes = RolloutScenes(builder, world, batch);
        var frames = new byte[batch * builder.Format.BytesPerFrame];
        renderer.Render(scenes, frames); // warm-up
        long count = 0;
        var sw = Stopwatch.StartNew();
        do { renderer.Render(scenes, frames); count += batch; } while (sw.Elapsed.TotalSeconds < seconds);
        return count / sw.Elapsed.TotalSeconds;
    }

    private static Command Sim()
    {
        var seconds = SecondsOption();
        var transitions = new Option<int>("--transitions")
        {
            Description = "Size of the timed dataset generation",
            DefaultValueFactory = _ => 1_000_000,
        };
        var outOpt = JsonOutOption();
        var cmd = new Command("sim", "World-steps per second, dataset generation and batch sampling speed")
        {
            seconds, transitions, outOpt,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            double secs = parse.GetValue(seconds);
            AnsiConsole.MarkupLine($"machine: {Markup.Escape(MachineInfo.Describe())}");
            var results = new JsonArray();
            var table = new Table()
                .Title("world-steps/s (random actions, batched)")
                .AddColumn("world")
                .AddColumn(new TableColumn("batch").RightAligned())
                .AddColumn(new TableColumn("steps/s").RightAligned());
            foreach (var (name, world, sizes) in new (string, WorldConfig, int[])[]
            {
                ("two-rooms", World("""{"kind": "two-rooms"}"""), [1, 1024, 65_536, 1_048_576]),
                ("two-rooms random layouts + contact noise",
                    World("""{"kind": "two-rooms", "layout": {"kind": "random"}, "contactNoise": 0.1}"""), [65_536]),
                ("push-ball", World("""{"kind": "push-ball"}"""), [1, 1024, 65_536]),
            })
                foreach (int n in sizes)
                {
                    double rate = MeasureSteps(world, n, secs);
                    table.AddRow(name, $"{n:N0}", Format.Rate(rate));
                    results.Add(new JsonObject { ["world"] = name, ["batch"] = n, ["stepsPerSecond"] = rate });
                }
            AnsiConsole.Write(table);

            int episodes = Math.Max(1, parse.GetValue(transitions) / 16);
            var config = new DataConfig { Name = "bench", Episodes = episodes, Steps = 16 };
            string tmp = Path.Combine(Path.GetTempPath(), "wm-bench-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                var sw = Stopwatch.StartNew();
                new DatasetGenerator(config).Generate(tmp, null, cancel);
                double genSeconds = sw.Elapsed.TotalSeconds;
                AnsiConsole.MarkupLine(
                    $"dataset generation: {config.Transitions:N0} two-rooms random-walk transitions in " +
                    $"[bold]{genSeconds:F2} s[/] ({Format.Rate(config.Transitions / genSeconds)} transitions/s, " +
                    "written and checksummed)");
                results.Add(new JsonObject
                {
                    ["what"] = "generate",
                    ["transitions"] = config.Transitions,
                    ["seconds"] = genSeconds,
                });

                var d = Dataset.Open(tmp);
                var cpu = RendererFactory.Create(
                    RendererKind.Cpu, new SceneBuilder(d.Config.World, d.Config.Render).Format).Renderer;
                var sampler = new BatchSampler(d, 64, 17, seed: 0, cpu);
                sampler.Sample(0);
                int batches = 0;
                sw.Restart();
                do sampler.Sample(++batches); while (sw.Elapsed.TotalSeconds < secs * 2);
                double perBatch = sw.Elapsed.TotalMilliseconds / batches;
                AnsiConsole.MarkupLine(
                    "batch sampler: 64 × 17 frames (channels, rendered on the fly, cpu): " +
                    $"[bold]{perBatch:F2} ms[/] per batch ({Format.Rate(64 * 17 / perBatch * 1000)} frames/s)");
                results.Add(new JsonObject { ["what"] = "sample 64x17", ["msPerBatch"] = perBatch });
            }
            finally
            {
                if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
            }
            Save(parse.GetValue(outOpt), "sim", results);
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    private static double MeasureSteps(WorldConfig world, int n, double seconds)
    {
        var w = world.CreateBatch(n);
        w.Reset(Enumerable.Range(0, n).Select(i => (ulong)i).ToArray());
        // Pre-drawn actions, so the timing is the physics alone.
        var pool = new float[Math.Max(2 * n, 1 << 16) * 2];
        ulong rng = 1;
        for (int i = 0; i < pool.Length; i++) pool[i] = Rng.Uniform(ref rng, -2f, 2f);
        var a = new float[n * w.Spec.ActionDim];
        long steps = 0;
        int k = 0;
        var sw = Stopwatch.StartNew();
        do
        {
            int offset = (int)((k++ * 7919L) % (pool.Length - a.Length + 1));
            pool.AsSpan(offset, a.Length).CopyTo(a);
            w.Step(a);
            steps += n;
        } while (sw.Elapsed.TotalSeconds < seconds);
        return steps / sw.Elapsed.TotalSeconds;
    }

    private static int[] ParseBatches(string s)
    {
        var parts = s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out sizes[i]) || sizes[i] < 1 || sizes[i] > 65536)
                throw new ArgumentException(
                    $"--batches: '{parts[i]}' is not allowed; allowed: whole numbers 1 to 65536, comma-separated");
        return sizes;
    }

    private static void Save(string? path, string what, JsonArray results)
    {
        if (path is null) return;
        var doc = new JsonObject
        {
            ["bench"] = what,
            ["machine"] = MachineInfo.Describe(),
            ["utc"] = DateTime.UtcNow.ToString("O"),
            ["results"] = results,
        };
        AtomicFile.WriteAllText(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        AnsiConsole.MarkupLine($"wrote {Markup.Escape(Paths.Show(path))}");
    }

    /// <summary>
    /// A world as a config file would name it (the benchmark knows worlds only through the registry).
    /// </summary>
    private static WorldConfig World(string json) => ConfigLoader.Parse<WorldConfig>(json, "bench");
}
