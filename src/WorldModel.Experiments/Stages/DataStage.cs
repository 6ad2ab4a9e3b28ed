using WorldModel.Data;
using WorldModel.Experiments.Graph;
using WorldModel.Render;

namespace WorldModel.Experiments.Stages;

/// <summary>
/// The data a later stage needs: reused when its content-hash folder is complete, generated otherwise.
/// </summary>
public static class DataStage
{
    public static string Folder(DataConfig config) =>
        Path.Combine(Paths.Experiments, config.Name, "data-" + DatasetGenerator.ContentHash(config));

    /// <summary>Whether the dataset for this config is complete on disk (then OpenOrGenerate reuses it).</summary>
    public static bool Exists(DataConfig config) => File.Exists(Path.Combine(Folder(config), DatasetManifest.FileName));

    public static Dataset OpenOrGenerate(DataConfig config, IExperimentObserver observer, CancellationToken cancel)
    {
        string folder = Folder(config);
        if (Exists(config))
        {
            observer.Info($"data: reusing {Paths.Show(folder)}");
            return Dataset.Open(folder);
        }
        Generate(config, observer, cancel);
        return Dataset.Open(folder);
    }

    private static void Generate(DataConfig config, IExperimentObserver observer, CancellationToken cancel)
    {
        string folder = Folder(config);
        observer.Info($"data: generating {config.Episodes:N0} episodes into {Paths.Show(folder)}");
        using var renderer = config.CacheFrames
            ? RendererFactory.Create(config.Render.Renderer,
                new SceneBuilder(config.World, config.Render).Format).Renderer
            : null;
        observer.Track("data", config.Episodes, "episodes",
            progress =>
            {
                new DatasetGenerator(config, renderer)
                    .Generate(folder, new SyncProgress<int>(v => progress.Report(v)), cancel);
                return 0;
            });
    }

    /// <summary>
    /// The dataset every model of an experiment trains on (shared by content hash with other experiments); with
    /// <paramref name="id"/> another one (a curriculum's first phase: "data/pretrain-HASH").
    /// </summary>
    public sealed class Unit(DataConfig config, string id = "data") : DatasetUnit(id, Folder(config), [])
    {
        private Dataset? _opened;
        public override string Title => Id == "data" ? "data" : "data " + Id["data/".Length..];
        public override string Key => DatasetGenerator.ContentHash(config);
        public override bool IsFinished() => Exists(config);

        public override string Run(UnitContext context)
        {
            Generate(config, context.Observer, context.Cancel);
            return Summary;
        }

        private string Summary => $"{config.Episodes:N0} episodes × {config.Steps} steps ({Paths.Show(Folder)})";

        /// <summary>The finished dataset, opened once per process.</summary>
        public override Dataset Open() => _opened ??= Dataset.Open(Folder);
    }
}

/// <summary>Reports on the calling thread (System.Progress would post to the thread pool and arrive late).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
