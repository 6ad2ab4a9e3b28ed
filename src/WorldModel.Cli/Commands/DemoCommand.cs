using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using WorldModel.Core.Config;
using WorldModel.Demo;
using WorldModel.Models;
using static TorchSharp.torch;
using WorldModel.Experiments;
using WorldModel.Experiments.Graph;
using WorldModel.Cli.Terminal;

namespace WorldModel.Cli.Commands;

/// <summary>`wm demo`: the classroom page; `wm demo record`: one episode as a GIF and a PNG strip.</summary>
public static class DemoCommand
{
    public static Command Build()
    {
        var checkpoint = CheckpointOption();
        var port = new Option<int>("--port")
        {
            Description = "Port to listen on (0: any free port)",
            DefaultValueFactory = _ => 5080,
        };
        var host = new Option<string>("--host")
        {
            Description = "Address to listen on: 127.0.0.1 (this machine only) or 0.0.0.0 " +
                "(the local network, e.g. students' laptops)",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Do not try to open a browser" };
        var device = TrainCommand.DeviceOption();
        var model = ModelOption();
        var twoLevel = TwoLevelOption();
        var explore = ExploreOption();
        var cmd = new Command(
            "demo", "Classroom demo: a local web page where you set a goal and watch the agent plan in latent space")
        {
            checkpoint, port, host, noBrowser, device, model, twoLevel, explore,
        };
        cmd.Subcommands.Add(Record());
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            int p = parse.GetValue(port);
            if (p is < 0 or > 65535) throw new ArgumentException($"--port {p} is out of range; allowed: 0 to 65535");
            if (DemoServer.HostProblem(parse.GetValue(host)!) is { } badHost) throw new ArgumentException(badHost);
            var torchDevice = TorchRuntime.Initialise(TrainCommand.ParseDevice(parse.GetValue(device)!));
            using var threads = OneTorchThread(torchDevice);
            using var models = LoadModels(parse.GetValue(checkpoint), torchDevice, cancel);
            var settings = new DemoSettings
            {
                Model = DefaultModel(models, parse.GetValue(model)),
                TwoLevel = parse.GetValue(twoLevel),
                Mode = parse.GetValue(explore) ? DemoSettings.Explore : DemoSettings.Goal,
            };
            if (settings.Problem(models) is { } problem) throw new ArgumentException(problem);
            using var session = new DemoSession(models, settings);
            var app = DemoServer.Build(session, parse.GetValue(host)!, p);
            try { app.StartAsync(cancel).GetAwaiter().GetResult(); }
            catch (IOException e)
            {
                throw new IOException(
                    $"cannot listen on {parse.GetValue(host)}:{p} ({e.Message}); choose another --port");
            }
            string address = DemoServer.Address(app);
            AnsiConsole.MarkupLine($"[green]demo running[/] at [bold link]{address}[/]  (Ctrl+C stops it)");
            if (parse.GetValue(host) is not ("127.0.0.1" or "localhost"))
                AnsiConsole.MarkupLine(
                    "[yellow]listening on the network[/]: anyone who can reach this machine can open the page");
            if (!parse.GetValue(noBrowser)) OpenBrowser(address);
            try { Task.Delay(Timeout.Infinite, cancel).GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { }
            app.StopAsync().GetAwaiter().GetResult();
            AnsiConsole.MarkupLine("demo stopped");
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    private static Command Record()
    {
        var outOpt = new Option<string>("--out") { Description = "The GIF to write", Required = true };
        var strip = new Option<string>("--strip")
        {
            Description = "Also write a PNG strip of evenly spaced frames (default: next to the GIF, .png)",
        };
        var checkpoint = CheckpointOption();
        var model = ModelOption();
        var twoLevel = TwoLevelOption();
        var explore = ExploreOption();
        var start = new Option<string>("--start")
        {
            Description = "Agent start as x,y in world units (default: the page's starting task)",
        };
        var goal = new Option<string>("--goal") { Description = "Goal as x,y in world units" };
        var planner = new Option<string>("--planner")
        {
            Description = "mppi or cem",
            DefaultValueFactory = _ => "mppi",
        };
        var horizon = new Option<int>("--horizon")
        {
            Description = "Planner horizon H (steps imagined ahead)",
            DefaultValueFactory = _ => 16,
        };
        var samples = new Option<int>("--samples")
        {
            Description = "Candidate action sequences per iteration",
            DefaultValueFactory = _ => 64,
        };
        var steps = new Option<int>("--steps")
        {
            Description = "Step budget",
            DefaultValueFactory = _ => DemoSession.Budget,
        };
        var device = TrainCommand.DeviceOption();
        var cmd = new Command(
            "record", "Render one planned episode with the page's overlays to a GIF and a PNG strip (for slides)")
        {
            outOpt, strip, checkpoint, model, twoLevel, explore, start, goal, planner, horizon, samples, steps, device,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            string gif = parse.GetValue(outOpt)!;
            if (!gif.EndsWith(".gif", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--out '{gif}' must name a .gif file");
            int budget = parse.GetValue(steps);
            if (budget is < 1 or > DemoSession.Budget)
                throw new ArgumentException($"--steps {budget} is out of range; allowed: 1 to {DemoSession.Budget}");
            string stripPath = parse.GetValue(strip) ?? Path.ChangeExtension(gif, ".png");
            var torchDevice = TorchRuntime.Initialise(TrainCommand.ParseDevice(parse.GetValue(device)!));
            using var threads = OneTorchThread(torchDevice);
            using var models = LoadModels(parse.GetValue(checkpoint), torchDevice, cancel);
            var settings = new DemoSettings
            {
                Model = DefaultModel(models, parse.GetValue(model)),
                TwoLevel = parse.GetValue(twoLevel),
                Planner = parse.GetValue(planner)!.ToLowerInvariant(),
                PlannerHorizon = parse.GetValue(horizon),
                Samples = parse.GetValue(samples),
                Mode = parse.GetValue(explore) ? DemoSettings.Explore : DemoSettings.Goal,
            };
            if (settings.Problem(models) is { } problem) throw new ArgumentException(problem);
            using var session = new DemoSession(models, settings);
            if (parse.GetValue(start) is { } s) { var (x, y) = Point(s, "--start", session); session.MoveAgent(x, y); }
            if (parse.GetValue(goal) is { } g) { var (x, y) = Point(g, "--goal", session); session.SetGoal(x, y); }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(gif))!);
            var sw = Stopwatch.StartNew();
            int frames = DemoRecorder.Record(session, gif, stripPath, maxSteps: budget, cancel: cancel);
            var last = session.Latest;
            string planned = settings.Model + (settings.TwoLevel ? " in two levels" : "");
            string said = last.Explore is { } e ? $"explored {e.Visited} states; {e.Why}" : last.Message;
            AnsiConsole.MarkupLine($"{Markup.Escape(planned)}: {Markup.Escape(said)} " +
                $"({frames} frames, {sw.Elapsed.TotalSeconds:F1} s)");
            AnsiConsole.MarkupLine(
                $"[green]wrote[/] {Markup.Escape(Paths.Show(gif))} and {Markup.Escape(Paths.Show(stripPath))}");
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    /// <summary>
    /// `wm bench demo`: how often the page gets something new (snapshots per second) and how long one
    /// planning step takes, per model, while the agent plans toward a goal across the wall.
    /// </summary>
    public static Command Bench()
    {
        var checkpoint = CheckpointOption();
        var seconds = new Option<double>("--seconds") { Description = "Time per model", DefaultValueFactory = _ => 5 };
        var device = TrainCommand.DeviceOption();
        var cmd = new Command(
            "demo", "Snapshots per second (the page's update rate) and planning ms per step of the demo, per model")
        {
            checkpoint, seconds, device,
        };
        cmd.SetAction((parse, cancel) => Task.Run(() => CommandRunner.Run(() =>
        {
            AnsiConsole.MarkupLine($"machine: {Markup.Escape(MachineInfo.Describe())}");
            var torchDevice = TorchRuntime.Initialise(TrainCommand.ParseDevice(parse.GetValue(device)!));
            using var threads = OneTorchThread(torchDevice);
            using var models = LoadModels(parse.GetValue(checkpoint), torchDevice, cancel);
            var table = new Table()
                .Title("demo, default planner (MPPI 64 samples × 2 iterations, H = 16)")
                .AddColumn("model")
                .AddColumn(new TableColumn("snapshots/s").RightAligned())
                .AddColumn(new TableColumn("steps/s").RightAligned())
                .AddColumn(new TableColumn("plan ms/step").RightAligned());
            foreach (string name in models.Names)
            {
                using var session = new DemoSession(models, new DemoSettings { Model = name });
                var (lo, hi) = models.Shown.Arena;
                session.SetGoal(hi - 8, lo + 10); // across the wall: the agent keeps planning
                session.Run();
                var sw = Stopwatch.StartNew();
                long firstVersion = session.Latest.Version, versions = 0, lastVersion = firstVersion;
                int firstStep = session.Latest.Step, lastStep = firstStep;
                var planMs = new List<double>();
                while (sw.Elapsed.TotalSeconds < parse.GetValue(seconds) && !cancel.IsCancellationRequested)
                {
                    var s = session.Latest;
                    if (s.Version != lastVersion) { versions++; lastVersion = s.Version; }
                    if (s.Step != lastStep) { lastStep = s.Step; planMs.Add(s.PlanMilliseconds); }
                    Thread.Sleep(2);
                }
                double secs = sw.Elapsed.TotalSeconds;
                int steps = session.Latest.Step - firstStep;
                table.AddRow(
                    name,
                    $"{versions / secs:F1}",
                    $"{steps / secs:F1}",
                    planMs.Count > 0 ? $"{planMs.Average():F0}" : "–");
            }
            AnsiConsole.Write(table);
            return CommandRunner.Ok;
        })));
        return cmd;
    }

    private static Option<string> CheckpointOption() => new("--checkpoint")
    {
        Description = "A folder with a JEPA and/or a pixel training run (e.g. experiments/<name>/run-<id>/train); " +
            "default: the small models that ship in " + DemoModels.ShippedFolder,
    };

    private static Option<string> ModelOption() => new("--model")
    {
        Description = "World model to plan with first: jepa, pixel, pixel-latent, oracle or oracle-straight",
    };

    private static Option<bool> TwoLevelOption() => new("--two-level")
    {
        Description = "Plan in two levels: a high level looks --horizon steps ahead in jumps of k and the low level " +
            "plans toward its first jump (needs the model's high level in --checkpoint; the oracles always can)",
    };

    private static Option<bool> ExploreOption() => new("--explore")
    {
        Description = "Explore mode: the agent heads for the cells its JEPA finds most novel, drawn as a heatmap " +
            "(needs a JEPA; the explorer chooses the goals, so --goal is overridden)",
    };

    private static string DefaultModel(DemoModels models, string? asked)
    {
        if (asked is null) return models.Names[0];
        if (!models.Names.Contains(asked))
            throw new ArgumentException(
                $"--model '{asked}' is not available; allowed: {string.Join(", ", models.Names)}");
        return asked;
    }

    /// <summary>
    /// The models to show: --checkpoint, else the pair that ships in the repository, else the quickstart's
    /// models (trained now, with a progress bar, if no run has them yet).
    /// </summary>
    private static DemoModels LoadModels(string? checkpoint, Device device, CancellationToken cancel)
    {
        string folder = checkpoint ?? Path.Combine(Paths.RepositoryRoot(), DemoModels.ShippedFolder);
        if (checkpoint is null && !Directory.Exists(folder))
        {
            string config = Path.Combine(Paths.RepositoryRoot(), "configs", "quickstart.json");
            if (!File.Exists(config))
                throw new ArgumentException(
                    $"no models to show: {DemoModels.ShippedFolder} and configs/quickstart.json are missing; " +
                    "pass --checkpoint with a training run folder");
            var experiment = ConfigLoader.LoadFile<ExperimentConfig>(config);
            string run = ExperimentRunner.DefaultFolder(experiment);
            AnsiConsole.MarkupLine(
                $"no shipped models found: training the quickstart's models in {Markup.Escape(Paths.Show(run))} " +
                "(a few minutes, once)");
            ExperimentRunner.Run(experiment, run, device, ConsoleObserver.Instance, cancel, trainOnly: true);
            folder = Path.Combine(run, ExperimentGraph.TrainFolder);
        }
        AnsiConsole.MarkupLine(
            $"loading models from {Markup.Escape(Paths.Show(folder))} and fitting position probes…");
        var models = DemoModels.Load(folder, device);
        AnsiConsole.WriteLine(models.Description);
        return models;
    }

    /// <summary>
    /// One planning step is many small tensor ops: one intra-op thread is faster (measured: 125 vs
    /// 165 ms per JEPA planning step on 2 cores) and leaves a core to the server and the browser.
    /// The previous setting comes back on dispose (tests run commands in one process).
    /// </summary>
    private static IDisposable OneTorchThread(Device device)
    {
        int before = get_num_threads();
        if (device.type == TorchSharp.DeviceType.CPU) set_num_threads(1);
        return new Restore(() => set_num_threads(before));
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    private static (float X, float Y) Point(string text, string option, DemoSession session)
    {
        var (x, y) = PointOption.Parse(text, option);
        if (session.PositionProblem(x, y) is { } problem) throw new ArgumentException($"{option}: {problem}");
        return (x, y);
    }

    private static void OpenBrowser(string address)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"))
            && !OperatingSystem.IsWindows()
            && !OperatingSystem.IsMacOS())
            return; // no desktop: the printed address is the way in
        try
        {
            var start = OperatingSystem.IsWindows() ? new ProcessStartInfo(address) { UseShellExecute = true }
                : new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open", address)
                {
                    UseShellExecute = false,
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                };
            Process.Start(start);
        }
        catch (Exception) { /* no browser opener: the printed address still works */ }
    }
}
