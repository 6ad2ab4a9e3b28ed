using System.CommandLine;
using WorldModel.Cli.Commands;

// Composition root of `wm`: each command builds what it needs (world, renderer, data) explicitly.
var root = new RootCommand("WorldModel: latent-dynamics world models in a 2D physics sandbox (data → training → planning → evaluation)");
root.Subcommands.Add(DataCommands.Build());
root.Subcommands.Add(BenchCommands.Build());
return await root.Parse(args).InvokeAsync();
