using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using WorldModel.Cli.Terminal;
using WorldModel.Core.Config;
using WorldModel.Core.IO;
using WorldModel.Sim.Worlds;
using WorldModel.Data;
using WorldModel.Render;
using WorldModel.Report;
using WorldModel.Experiments;
using WorldModel.Experiments.Stages;

namespace WorldModel.Cli.Commands;

/// <summary>`wm data generate | inspect | preview | export`.</summary>
public static class DataCommands
{
    public static Command Build()
    {
        var data = new Command("data", "Offline datasets: generate, inspect, preview, export");
        data.Subcommands.Add(Generate());
        data.Subcommands.Add(Inspect());
        data.Subcommands.Add(PreviewCommand());
        data.Subcommands.Add(Export());
        return data;
    }

    private static Option<string> OutOption(string what) => new("--out") { Description = what };

    private static Option<string?> RendererOption() => new("--renderer")
    {
        Description = "Override render.renderer: auto, gl or cpu",
    };

    private static Argument<string> DatasetArgument() => new("DIR")
    {
        Description = "A dataset folder (made by 'wm data generate')",
    };

    private static Command Generate()
    {
        var configOpt = new Option<string>("--config")
        {
            Description = "Data config file (JSON, comments allowed), e.g. configs/two-rooms-small.json",
            Required = true,
        };
        var setOpt = new Option<string[]>("--set")
        {
            Description = "Override a config key: --set path.to.key=value (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var outOpt = OutOption("Dataset folder (default: experiments/<name>/data-<config hash>)");
        var previewOpt = new Option<bool>("--preview")
        {
            Description = "Also write the inspect report and preview into <out>/report",
        };
        var cmd = new Command(
            "generate", "Generate an offline dataset from a config (parallel, resumable: rerun to continue)")
        {
            configOpt, setOpt, outOpt, previewOpt,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            var config = LoadDataConfig(parse.GetValue(configOpt)!, parse.GetValue(setOpt) ?? []);
            string hash = DatasetGenerator.ContentHash(config);
            string folder = parse.GetValue(outOpt) ?? Path.Combine(Paths.Experiments, config.Name, "data-" + hash);
            AnsiConsole.MarkupLine(
                $"dataset [bold]{Markup.Escape(config.Name)}[/] ({hash}): {config.Episodes:N0} episodes × " +
                $"{config.Steps} steps = {config.Transitions:N0} transitions, " +
                $"world {WorldName(config)}, policy {ConfigNames.Kind(config.Policy.GetType())} → " +
                $"{Markup.Escape(Paths.Show(folder))}");

            IRenderer? renderer = null;
            if (config.CacheFrames)
            {
                var choice = RendererFactory.Create(
                    config.Render.Renderer, new SceneBuilder(config.World, config.Render).Format);
                renderer = choice.Renderer;
                AnsiConsole.MarkupLine($"renderer: {Markup.Escape(choice.Reason)}");
            }
            using var _ = renderer;
            var sw = Stopwatch.StartNew();
            var result = ProgressDisplay.Run("generate", config.Episodes, "episodes",
                progress => new DatasetGenerator(config, renderer)
                    .Generate(folder, new SyncProgress<int>(v => progress.Report(v)), cancel));
            double seconds = sw.Elapsed.TotalSeconds;
            if (result.AlreadyComplete)
                AnsiConsole.MarkupLine(
                    "[green]already complete[/]: the folder holds this config's dataset; nothing to do.");
            else
                AnsiConsole.MarkupLine(
                    $"[green]done[/] in {seconds:F1} s: {result.ChunksWritten} chunks written, " +
                    $"{result.ChunksReused} reused, {Format.Rate(config.Transitions / seconds)} transitions/s");
            if (parse.GetValue(previewOpt))
            {
                string report = Path.Combine(folder, "report");
                InspectDataset(folder, report);
                Preview(folder, report, null, 6, 10, 4);
            }
            else
                AnsiConsole.MarkupLine($"next: [bold]./wm data inspect {Markup.Escape(Paths.Show(folder))}[/] and " +
                    $"[bold]./wm data preview {Markup.Escape(Paths.Show(folder))}[/]");
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    /// <summary>
    /// A data config, or the data section of a training or experiment config (then --set paths start with "data.").
    /// </summary>
    public static DataConfig LoadDataConfig(string path, string[] sets)
    {
        if (!File.Exists(path)) return ConfigLoader.LoadFile<DataConfig>(path, sets); // reports the missing file
        var tree = ConfigLoader.LoadTree(path, []);
        // The file says what it is; files that say nothing are told apart by their keys.
        string? kind = ConfigLoader.FileKind(tree)
            ?? (tree is System.Text.Json.Nodes.JsonObject o && o["data"] is System.Text.Json.Nodes.JsonObject
                ? (o["models"] is not null ? "experiment" : "training")
                : "data");
        return kind switch
        {
            "experiment" => ConfigLoader.LoadFile<ExperimentConfig>(path, sets).Data,
            "training" => ConfigLoader.LoadFile<Models.Training.RunConfig>(path, sets).Data,
            "data" => ConfigLoader.LoadFile<DataConfig>(path, sets),
            _ => throw new ConfigException(path, [new ConfigError(ConfigLoader.FileKindKey,
                $"\"{kind}\" is not allowed here; allowed: data, training, experiment (their data section)")]),
        };
    }

    private static string WorldName(DataConfig c) => c.World.Describe();

    private static Command Inspect()
    {
        var dir = DatasetArgument();
        var outOpt = OutOption("Folder for coverage.png/.svg and stats.json (default: DIR/report)");
        var cmd = new Command("inspect", "Counts, door crossings and a state-coverage heatmap of a dataset")
        {
            dir, outOpt,
        };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(dir)!;
            InspectDataset(folder, parse.GetValue(outOpt) ?? Path.Combine(folder, "report"));
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private static void InspectDataset(string folder, string outFolder)
    {
        var d = Dataset.Open(folder);
        var s = DatasetStats.Compute(d);
        var table = new Table()
            .Title($"dataset {Markup.Escape(d.Config.Name)} ({d.Manifest.ContentHash})")
            .AddColumn("what")
            .AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("world", Markup.Escape(WorldName(d.Config)));
        table.AddRow("policy", ConfigNames.Kind(d.Config.Policy.GetType()));
        table.AddRow("episodes", $"{s.Episodes:N0}");
        table.AddRow("steps per episode", $"{s.Steps}");
        table.AddRow("transitions", $"{s.Transitions:N0}");
        table.AddRow("chunks (all checksums verified)", $"{d.Manifest.Chunks.Length}");
        table.AddRow("cached frames",
            d.Manifest.FrameBytes > 0 ? $"yes ({d.Manifest.FrameBytes} bytes each)" : "no (rendered on the fly)");
        table.AddRow("mean / max action norm", $"{s.MeanActionNorm:F3} / {s.MaxActionNorm:F3}");
        table.AddRow($"mean {s.CoverageOf} displacement per episode (px)", $"{s.MeanDisplacement:F2}");
        foreach (var e in s.Events) table.AddRow(Markup.Escape(e.Label), Format.Percent(e.Share));
        table.AddRow($"arena cells visited by the {s.CoverageOf}", Format.Percent(s.CoveredCellShare));
        AnsiConsole.Write(table);

        Directory.CreateDirectory(outFolder);
        string heatmap = Path.Combine(outFolder, "coverage");
        Plots.Heatmap(
            heatmap, s.Coverage, $"{d.Config.Name}: {s.CoverageOf} positions ({s.Episodes:N0} episodes)", "visits");
        var json = new JsonObject
        {
            ["contentHash"] = d.Manifest.ContentHash,
            ["episodes"] = s.Episodes,
            ["steps"] = s.Steps,
            ["transitions"] = s.Transitions,
            ["meanActionNorm"] = s.MeanActionNorm,
            ["maxActionNorm"] = s.MaxActionNorm,
            ["meanDisplacement"] = s.MeanDisplacement,
            ["coveredCellShare"] = s.CoveredCellShare,
        };
        foreach (var e in s.Events) json[e.Key] = e.Share;
        AtomicFile.WriteAllText(Path.Combine(outFolder, "stats.json"),
            json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        AnsiConsole.MarkupLine($"wrote {Markup.Escape(Paths.Show(heatmap))}.png/.svg and stats.json");
    }

    private static Command PreviewCommand()
    {
        var dir = DatasetArgument();
        var outOpt = OutOption("Folder for preview.png and preview.gif (default: DIR/report)");
        var episodes = new Option<int>("--episodes")
        {
            Description = "Episodes shown (rows of the contact sheet)",
            DefaultValueFactory = _ => 6,
        };
        var frames = new Option<int>("--frames")
        {
            Description = "Frames per row of the contact sheet",
            DefaultValueFactory = _ => 10,
        };
        var scale = new Option<int>("--scale") { Description = "Pixel magnification", DefaultValueFactory = _ => 4 };
        var renderer = RendererOption();
        var cmd = new Command(
            "preview", "A contact sheet (PNG) and an animated GIF of a few episodes, with goal/target markers")
        {
            dir, outOpt, episodes, frames, scale, renderer,
        };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            string folder = parse.GetValue(dir)!;
            int e = parse.GetValue(episodes), f = parse.GetValue(frames), k = parse.GetValue(scale);
            if (e is < 1 or > 64) throw new ArgumentException($"--episodes {e} is not allowed; allowed: 1 to 64");
            if (f is < 1 or > 64) throw new ArgumentException($"--frames {f} is not allowed; allowed: 1 to 64");
            if (k is < 1 or > 16) throw new ArgumentException($"--scale {k} is not allowed; allowed: 1 to 16");
            Preview(
                folder, parse.GetValue(outOpt) ?? Path.Combine(folder, "report"), parse.GetValue(renderer), e, f, k);
            return CommandRunner.Ok;
        }));
        return cmd;
    }

    private static void Preview(
        string folder, string outFolder, string? rendererOverride, int episodes, int framesPerRow, int scale)
    {
        var d = Dataset.Open(folder);
        var render = d.Config.Render with { Layout = ObservationLayout.Rgb };
        if (rendererOverride is not null)
            render = ConfigLoader.Parse<RenderConfig>(
                ConfigLoader.ToJson(render), "--renderer", [$"renderer={rendererOverride}"]);
        var builder = new SceneBuilder(d.Config.World, render);
        var choice = RendererFactory.Create(render.Renderer, builder.Format);
        using var renderer = choice.Renderer;
        AnsiConsole.MarkupLine($"renderer: {Markup.Escape(choice.Reason)}");

        episodes = Math.Min(episodes, d.Episodes);
        int T = d.Steps + 1, size = builder.Format.Size, fb = builder.Format.BytesPerFrame;
        var scenes = new SceneBatch(episodes * T);
        for (int e = 0; e < episodes; e++)
            for (int t = 0; t < T; t++) builder.Build(scenes, e * T + t, d.State(e, t), d.Layout(e));
        var frames = new byte[scenes.Count * fb];
        renderer.Render(scenes, frames);
        for (int e = 0; e < episodes; e++)
            for (int t = 0; t < T; t++) DrawMarkers(d, e, frames.AsSpan((e * T + t) * fb, fb), size);

        // Contact sheet: one row per episode, frames evenly spaced from first to last.
        int cols = Math.Min(framesPerRow, T), gap = 2, cell = size * scale;
        var sheet = new RgbImage(cols * (cell + gap) + gap, episodes * (cell + gap) + gap);
        sheet.Fill(255, 255, 255);
        for (int e = 0; e < episodes; e++)
            for (int c = 0; c < cols; c++)
            {
                int t = cols == 1 ? 0 : (int)Math.Round(c * (T - 1) / (double)(cols - 1));
                sheet.Blit(
                    frames.AsSpan((e * T + t) * fb, fb), size, gap + c * (cell + gap), gap + e * (cell + gap), scale);
            }
        Directory.CreateDirectory(outFolder);
        PngWriter.Write(Path.Combine(outFolder, "preview.png"), sheet);

        // GIF: up to four episodes side by side, every step.
        int shown = Math.Min(4, episodes), gifScale = Math.Max(1, scale - 1), gcell = size * gifScale;
        var gif = new List<RgbImage>();
        for (int t = 0; t < T; t++)
        {
            var img = new RgbImage(shown * (gcell + gap) + gap, gcell + 2 * gap);
            img.Fill(255, 255, 255);
            for (int e = 0; e < shown; e++)
                img.Blit(frames.AsSpan((e * T + t) * fb, fb), size, gap + e * (gcell + gap), gap, gifScale);
            gif.Add(img);
        }
        GifWriter.Write(Path.Combine(outFolder, "preview.gif"), gif, delayCentiseconds: 12);
        AnsiConsole.MarkupLine(
            $"wrote {Markup.Escape(Paths.Show(Path.Combine(outFolder, "preview.png")))} " +
            $"({episodes} episodes × {cols} frames, time left to right) " +
            $"and preview.gif ({shown} episodes, {T} frames)");
    }

    /// <summary>
    /// Viewing-only markers the world asks for (Push-Ball: the ball's target; never in model observations).
    /// </summary>
    private static void DrawMarkers(Dataset d, int episode, Span<byte> frame, int size)
    {
        if (d.Config.World is not ISceneWorld world) return;
        float s = size / WorldConfig.ArenaSize;
        foreach (var (x, y, radius) in world.Markers(d.Layout(episode)))
            Overlay.Ring(frame, size, x * s, y * s, radius * s + 1, (60, 230, 90), 1.2f);
    }

    private static Command Export()
    {
        var dir = DatasetArgument();
        var format = new Option<string>("--format")
        {
            Description = "Export format (allowed: npz, the default)",
            DefaultValueFactory = _ => "npz",
        };
        var outOpt = new Option<string>("--out") { Description = "Output file, e.g. data.npz", Required = true };
        var withFrames = new Option<bool>("--frames")
        {
            Description = "Also export rendered frames [E, T+1, H, W, C] (uint8; can be large)",
        };
        var cmd = new Command("export", "Export a dataset for Python users (np.load)")
        {
            dir, format, outOpt, withFrames,
        };
        cmd.SetAction(parse => CommandRunner.Run(() =>
        {
            string fmt = parse.GetValue(format)!;
            if (fmt != "npz") throw new ArgumentException($"--format '{fmt}' is not supported; allowed: npz");
            var d = Dataset.Open(parse.GetValue(dir)!);
            int E = d.Episodes, T = d.Steps;
            var arrays = new List<NpzWriter.Array>
            {
                NpzWriter.Array.Of("states", d.States, E, T + 1, d.Spec.StateDim),
                NpzWriter.Array.Of("actions", d.Actions, E, T, d.Spec.ActionDim),
                NpzWriter.Array.Of("layouts", d.Layouts, E, d.Spec.LayoutDim),
                NpzWriter.Array.Of(
                    "meta_json",
                    File.ReadAllBytes(Path.Combine(d.Folder, DatasetManifest.FileName)),
                    new FileInfo(Path.Combine(d.Folder, DatasetManifest.FileName)).Length),
            };
            if (parse.GetValue(withFrames))
            {
                var builder = new SceneBuilder(d.Config.World, d.Config.Render);
                long bytes = (long)E * (T + 1) * builder.Format.BytesPerFrame;
                if (bytes > int.MaxValue)
                    throw new ArgumentException(
                        $"frames would take {bytes / (1 << 30)} GiB, over the 2 GiB an export holds; " +
                        "export fewer episodes or drop --frames");
                var choice = RendererFactory.Create(d.Config.Render.Renderer, builder.Format);
                using var renderer = choice.Renderer;
                var layouts = new float[E * (T + 1) * d.Spec.LayoutDim];
                for (int e = 0; e < E; e++)
                    for (int t = 0; t <= T; t++)
                        d.Layout(e).CopyTo(layouts.AsSpan((e * (T + 1) + t) * d.Spec.LayoutDim));
                var frames = builder.Render(renderer, d.States, layouts, E * (T + 1));
                arrays.Add(NpzWriter.Array.Of(
                    "frames", frames, E, T + 1, builder.Format.Size, builder.Format.Size, builder.Format.Channels));
            }
            string outPath = parse.GetValue(outOpt)!;
            NpzWriter.Write(outPath, arrays);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(Paths.Show(outPath))}: " +
                $"{string.Join(", ", arrays.Select(a => $"{a.Name} ({string.Join("×", a.Shape)})"))}");
            AnsiConsole.MarkupLine("load it with: [bold]" +
                Markup.Escape("d = numpy.load(path); d['states'], d['actions'], json.loads(d['meta_json'].tobytes())") +
                "[/]");
            return CommandRunner.Ok;
        }));
        return cmd;
    }
}
