using System.CommandLine;
using WorldModel.Cli;
using WorldModel.Cli.Host;
using WorldModel.Models;

// Before anything else: glibc's per-thread arenas can only be turned off at process start, so `wm`
// re-executes itself once with GLIBC_TUNABLES set (see GlibcAllocator; PLDM-size steps 1.7× faster).
GlibcAllocator.ReexecWithTunables();
GlibcAllocator.TuneInProcess();

// System.CommandLine 2.0.0 leaves Ctrl+C unhandled (ProcessTerminationTimeout is null, dotnet/command-line-api#2739):
// set it, so long commands see cancellation, keep what they finished and say how to resume.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) };
var parse = CliApp.Build().Parse(args);
// Before any torch call: where an external-backend build finds libtorch (--libtorch, else WM_LIBTORCH).
LibTorch.Configure(parse.GetValue<string?>(CliApp.LibTorchOptionName));
return await parse.InvokeAsync(invocation);
