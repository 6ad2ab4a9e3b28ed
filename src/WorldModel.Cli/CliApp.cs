using System.CommandLine;
using WorldModel.Cli.Commands;
using WorldModel.Models;

namespace WorldModel.Cli;

/// <summary>Composition root of `wm`: each command builds what it needs (world, renderer, data) explicitly.</summary>
public static class CliApp
{
    /// <summary>The option, on every command, naming the folder an external-backend build loads libtorch
    /// from.</summary>
    public const string LibTorchOptionName = "--libtorch";

    public static RootCommand Build()
    {
        var root = new RootCommand(
            "WorldModel: latent-dynamics world models in a 2D physics sandbox " +
            "(data → training → planning → evaluation)");
        root.Options.Add(new Option<string?>(LibTorchOptionName)
        {
            Description = "torch/lib of an installed PyTorch " + LibTorch.ExpectedVersion + ", for a build made with " +
                "-p:TorchBackend=external (default: $" + LibTorch.DirectoryVariable + ")",
            Recursive = true,
        });
        root.Subcommands.Add(DataCommands.Build());
        root.Subcommands.Add(TrainCommand.Build());
        root.Subcommands.Add(EvalModelCommand.Build());
        root.Subcommands.Add(EvalModelCommand.Export());
        root.Subcommands.Add(EvalPlanCommand.Build());
        root.Subcommands.Add(LandscapeCommand.Build());
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(SweepCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(CancelCommand.Build());
        root.Subcommands.Add(PlotCommand.Build());
        root.Subcommands.Add(CompareCommand.Build());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(BenchCommands.Build());
        root.Subcommands.Add(InfoCommand.Build());
        return root;
    }
}
