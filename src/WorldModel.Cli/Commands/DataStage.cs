using Spectre.Console;
using WorldModel.Cli.Terminal;
using WorldModel.Data;
using WorldModel.Render;

namespace WorldModel.Cli.Commands;

/// <summary>The data a later stage needs: reused when its content-hash folder is complete, generated otherwise.</summary>
public static class DataStage
{
    public static string Folder(DataConfig config) => Path.Combine(Paths.Experiments, config.Name, "data-" + DatasetGenerator.ContentHash(config));

    /// <summary>Whether the dataset for this config is complete on disk (then OpenOrGenerate reuses it).</summary>
    public static bool Exists(DataConfig config) => File.Exists(Path.Combine(Folder(config), DatasetManifest.FileName));

    public static Dataset OpenOrGenerate(DataConfig config, CancellationToken cancel)
    {
        string folder = Folder(config);
        if (Exists(config))
        {
            AnsiConsole.MarkupLine($"data: reusing {Markup.Escape(Paths.Show(folder))}");
            return Dataset.Open(folder);
        }
        AnsiConsole.MarkupLine($"data: generating {config.Episodes:N0} episodes into {Markup.Escape(Paths.Show(folder))}");
        using var renderer = config.CacheFrames ? RendererFactory.Create(config.Render.Renderer, new SceneBuilder(config.World, config.Render).Format).Renderer : null;
        ProgressDisplay.Run("data", config.Episodes, "episodes",
            report => new DatasetGenerator(config, renderer).Generate(folder, new SyncProgress<int>(v => report(v)), cancel));
        return Dataset.Open(folder);
    }
}
