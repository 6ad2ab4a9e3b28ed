using System.CommandLine;
using WorldModel.Experiments.Graph;
using WorldModel.Experiments.Slurm;

namespace WorldModel.Cli.Commands;

/// <summary>
/// `--executor local|slurm`, `--jobs` and the Slurm options, shared by `wm run` and `wm sweep`: where the units run,
/// how many at once, what each job asks for, and whether the command waits for the jobs.
/// </summary>
public sealed class ExecutorOptions
{
    private readonly Option<string> _executor = new("--executor")
    {
        Description = "Where the units run: local (this machine; one after the other, or --jobs at once) or " +
            "slurm (one job per unit, a model's seeds as one array job, dependencies as the graph says)",
        DefaultValueFactory = _ => "local",
    };

    private readonly Option<int> _jobs = new("--jobs", "-j")
    {
        Description = "Local: units run at once, each as its own wm process with an equal share of the CPUs " +
            "(default 1: one after the other in this process). Torch's thread count changes float rounding, so " +
            "learned models' episodes equal another run's only at the same CPUs per unit",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<string> _partition = new("--partition") { Description = "Slurm: sbatch --partition" };

    private readonly Option<string> _time = new("--time")
    {
        Description = "Slurm: time limit per job, as sbatch --time takes it (e.g. 2:00:00)",
    };

    private readonly Option<int?> _cpus = new("--cpus-per-unit")
    {
        Description = "CPUs per unit; torch uses as many threads. Slurm: sbatch --cpus-per-task (default 1); " +
            "local with --jobs: default the machine's cores / jobs",
    };

    private readonly Option<int?> _gpus = new("--gpus-per-unit")
    {
        Description = "Slurm: GPUs per job (sbatch --gres=gpu:N); use with --device cuda or auto",
    };

    private readonly Option<string[]> _sbatch = new("--sbatch-arg")
    {
        Description = "Slurm: a further sbatch flag, e.g. --sbatch-arg=--mem=8G (repeatable)",
    };

    private readonly Option<bool> _noWait = new("--no-wait")
    {
        Description = "Slurm: submit and return; `wm status RUN` shows progress, the same command again continues",
    };

    private readonly Option<string> _jobCommand = new("--job-command")
    {
        Description = "Slurm: the shell command that starts wm in a job (default: this wm, as it was started)",
    };

    private IEnumerable<Option> SlurmOnly => [_partition, _time, _gpus, _sbatch, _noWait, _jobCommand];

    public void AddTo(Command command)
    {
        command.Options.Add(_executor);
        command.Options.Add(_jobs);
        command.Options.Add(_cpus);
        foreach (var option in SlurmOnly) command.Options.Add(option);
    }

    /// <summary>Whether the command submits to Slurm; checks the options' values.</summary>
    public bool IsSlurm(ParseResult parse)
    {
        string executor = parse.GetValue(_executor)!;
        if (executor is not ("local" or "slurm"))
            throw new ArgumentException($"--executor '{executor}' is not allowed; allowed: local, slurm");
        int jobs = parse.GetValue(_jobs);
        if (jobs < 1) throw new ArgumentException($"--jobs {jobs} is not allowed; allowed: 1 or more");
        foreach (var (option, value) in new[] { (_cpus, parse.GetValue(_cpus)), (_gpus, parse.GetValue(_gpus)) })
            if (value is < 1)
                throw new ArgumentException($"{option.Name} {value} is not allowed; allowed: 1 or more");
        if (executor == "local")
        {
            var given = SlurmOnly.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
            if (given is not null) throw new ArgumentException($"{given.Name} needs --executor slurm");
            if (jobs == 1 && parse.GetValue(_cpus) is not null)
                throw new ArgumentException("--cpus-per-unit needs --jobs 2 or more (or --executor slurm): one job " +
                    "at a time runs in this process, with torch's threads as they are");
            return false;
        }
        if (jobs != 1)
            throw new ArgumentException("--jobs is for --executor local; on Slurm every unit is a job of its own " +
                "(--cpus-per-unit sets each job's CPUs)");
        return true;
    }

    /// <summary>Whether to wait for the jobs (always, for a local run).</summary>
    public bool Wait(ParseResult parse) => !parse.GetValue(_noWait);

    /// <summary>The executor the options ask for; Slurm jobs run wm with <paramref name="device"/>.</summary>
    public IExperimentExecutor Create(ParseResult parse, string device) => IsSlurm(parse)
        ? new SlurmExecutor(new SlurmOptions
        {
            JobCommand = parse.GetValue(_jobCommand) ?? OwnCommand(),
            Device = device,
            Partition = parse.GetValue(_partition),
            Time = parse.GetValue(_time),
            CpusPerUnit = parse.GetValue(_cpus),
            GpusPerUnit = parse.GetValue(_gpus),
            SbatchArgs = parse.GetValue(_sbatch) ?? [],
        })
        : new LocalExecutor(parse.GetValue(_jobs) is > 1 and var jobs
            ? new UnitProcesses(jobs, parse.GetValue(_cpus), OwnCommandParts(), device)
            : null);

    /// <summary>
    /// The command that started this `wm`, for jobs to start the same build: the apphost itself (./wm), or the
    /// dotnet host with wm.dll (`dotnet wm.dll`, as the tests start it; also when a test host loaded wm in-process).
    /// </summary>
    public static string OwnCommand() => string.Join(' ', OwnCommandParts().Select(SlurmScript.Quote));

    /// <summary><see cref="OwnCommand"/> as the executable and its leading arguments.</summary>
    public static string[] OwnCommandParts()
    {
        string? process = Environment.ProcessPath;
        string cli = typeof(CliApp).Assembly.Location;
        if (process is not null
            && Path.GetFileNameWithoutExtension(process) == Path.GetFileNameWithoutExtension(cli))
            return [process];
        string dotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? process
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return [dotnet, cli];
    }
}
