using System.Text.Json.Nodes;

namespace WorldModel.Cli.Tests;

[Collection("cli")]
public sealed class TrainCommandTests
{
    [Fact]
    public void Given_the_tiny_config_When_trained_Then_the_run_folder_has_config_metrics_checkpoints_and_a_loss_plot()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"],
            "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.Contains("step      20/20", r.Out);
        foreach (var f in new[] { "config.json", "metrics.jsonl", "loss.png", "loss.svg", "checkpoints/latest",
            "checkpoints/step-0000020/model.bin" })
            Assert.True(File.Exists(Path.Combine(tmp["run"], f)), f);
        Assert.Equal("step-0000020", File.ReadAllText(Path.Combine(tmp["run"], "checkpoints/latest")));
    }

    [Fact]
    public void Given_initFrom_When_trained_Then_it_says_which_run_it_starts_from_and_a_missing_one_is_refused_with_a_message()
    {
        using var tmp = new TempFolder();
        var first = CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["first"],
            "--device", "cpu", "--set", "train.steps=4", "--set", "train.warmupSteps=1");
        Assert.True(first.ExitCode == 0, first.Error + first.Out);
        var second = CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["second"],
            "--device", "cpu", "--set", "initFrom=../first");
        Assert.True(second.ExitCode == 0, second.Error + second.Out);
        Assert.Contains("starting from the final weights of", second.Out);
        Assert.Contains("first", second.Out);
        Assert.True(File.Exists(Path.Combine(tmp["second"], "init.json")));

        var missing = CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["third"],
            "--device", "cpu", "--set", "initFrom=../nowhere");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("not a training run folder", missing.Error);
        Assert.DoesNotContain("   at ", missing.Error); // a message, not a stack trace
    }

    [Fact]
    public void Given_a_run_stopped_after_its_first_checkpoint_When_resumed_Then_it_continues_from_there_and_logs_each_step_once()
    {
        using var tmp = new TempFolder();
        Assert.Equal(0, CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"],
            "--device", "cpu").ExitCode);
        // As if stopped right after step 10's checkpoint.
        Directory.Delete(Path.Combine(tmp["run"], "checkpoints/step-0000020"), true);
        File.WriteAllText(Path.Combine(tmp["run"], "checkpoints/latest"), "step-0000010");
        var full = File.ReadAllLines(Path.Combine(tmp["run"], "metrics.jsonl"));

        var r = CliRunner.Run("train", "--resume", tmp["run"], "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.Contains("resuming from", r.Out);
        Assert.DoesNotContain("step       1/20", r.Out);
        var resumed = File.ReadAllLines(Path.Combine(tmp["run"], "metrics.jsonl"));
        var steps = resumed.Select(l => JsonNode.Parse(l)!["step"]!.GetValue<int>()).ToArray();
        Assert.Equal(steps.Distinct().Count(), steps.Length);
        // Same batches, same weights: the resumed losses equal the uninterrupted run's (wall-clock time aside).
        static string[] WithoutTime(string[] lines) =>
            lines.Select(l => { var o = JsonNode.Parse(l)!.AsObject(); o.Remove("seconds"); return o.ToJsonString(); })
            .ToArray();
        Assert.Equal(WithoutTime(full), WithoutTime(resumed));
    }

    [Fact]
    public void Given_resume_with_overrides_or_no_config_Then_the_error_says_what_to_do()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("train", "--resume", tmp.Path, "--set", "train.steps=5");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("drop --config and --set", r.Error);
        var none = CliRunner.Run("train");
        Assert.Contains("give --config FILE", none.Error);
        var bad = CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--device", "tpu");
        Assert.Contains("--device 'tpu' is not allowed; allowed: cpu, cuda, auto", bad.Error);
    }
}

[Collection("cli")]
public sealed class EvalModelCommandTests
{
    [Fact]
    public void Given_a_trained_tiny_run_When_evaluated_Then_a_summary_and_plots_are_written()
    {
        using var tmp = new TempFolder();
        Assert.Equal(0, CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"],
            "--device", "cpu").ExitCode);
        var r = CliRunner.Run("eval-model", tmp["run"], "--samples", "128", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        Assert.Contains("copy last", r.Out);
        Assert.Contains("effective rank", r.Out);
        foreach (var f in new[] { "summary.json", "prediction_error.png", "probe.png", "probe.svg" })
            Assert.True(File.Exists(Path.Combine(tmp["run"], "eval", f)), f);
        Assert.Contains("\"probeRmse\"", File.ReadAllText(Path.Combine(tmp["run"], "eval", "summary.json")));
        Assert.Contains("random plans", r.Out);

        // Another rollout length: the table has as many rows; one longer than the data's episodes is refused.
        var two = CliRunner.Run("eval-model", tmp["run"], "--samples", "64", "--horizon", "2", "--device", "cpu",
            "--out", tmp["eval2"]);
        Assert.True(two.ExitCode == 0, two.Error + two.Out);
        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["eval2"], "summary.json")))!;
        Assert.Equal(2, summary["report"]!["modelError"]!.AsArray().Count);
        Assert.NotNull(summary["report"]!["imaginedPlans"]!["trueBeatsRandom"]);
        var tooLong = CliRunner.Run("eval-model", tmp["run"], "--horizon", "10000", "--device", "cpu");
        Assert.Equal(1, tooLong.ExitCode);
        Assert.Contains("--horizon 10000 is not allowed; allowed: 1 to", tooLong.Error);

        // Scored as a pessimistic planner scores: only a model with ensemble heads has the disagreement to pay.
        var noHeads = CliRunner.Run("eval-model", tmp["run"], "--pessimism", "100", "--device", "cpu");
        Assert.Equal(1, noHeads.ExitCode);
        Assert.Contains("objective.ensembleHeads", noHeads.Error);
        Assert.Equal(0, CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["heads"],
            "--device", "cpu", "--set", "objective.ensembleHeads=2").ExitCode);
        var pessimistic = CliRunner.Run("eval-model", tmp["heads"], "--samples", "64", "--horizon", "2",
            "--pessimism", "100", "--device", "cpu");
        Assert.True(pessimistic.ExitCode == 0, pessimistic.Error + pessimistic.Out);
        Assert.Contains("paying pessimism 100", pessimistic.Out);
        var paid = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(tmp["heads"], "eval", "summary.json")))!;
        Assert.Equal(100, paid["report"]!["imaginedPlans"]!["pessimism"]!.GetValue<double>());
    }

    [Fact]
    public void Given_a_folder_that_is_not_a_run_Then_eval_model_says_so()
    {
        using var tmp = new TempFolder();
        var r = CliRunner.Run("eval-model", tmp.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("is not a training run folder", r.Error);
    }
}

[Collection("cli")]
public sealed class ExportModelCommandTests
{
    [Fact]
    public void Given_a_trained_run_When_exported_to_safetensors_Then_the_header_lists_every_tensor_with_consistent_byte_ranges()
    {
        using var tmp = new TempFolder();
        Assert.Equal(0, CliRunner.Run("train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"],
            "--device", "cpu").ExitCode);
        var r = CliRunner.Run("export", tmp["run"], "--out", tmp["m.safetensors"]); // safetensors by default
        Assert.True(r.ExitCode == 0, r.Error + r.Out);

        var bytes = File.ReadAllBytes(tmp["m.safetensors"]);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        Assert.Equal(0, headerLength % 8);
        var header = JsonNode.Parse(System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength))!.AsObject();
        Assert.Contains("two-rooms", header["__metadata__"]!["worldmodel_config"]!.GetValue<string>());
        long expectedStart = 0, dataLength = bytes.Length - 8 - headerLength;
        var tensors = header.Where(p => p.Key != "__metadata__")
            .OrderBy(p => p.Value!["data_offsets"]![0]!.GetValue<long>()).ToList();
        Assert.True(tensors.Count > 10);
        foreach (var (name, t) in tensors)
        {
            long begin = t!["data_offsets"]![0]!.GetValue<long>(), end = t["data_offsets"]![1]!.GetValue<long>();
            long elements = t["shape"]!.AsArray().Aggregate(1L, (a, d) => a * d!.GetValue<long>());
            Assert.Equal(expectedStart, begin);
            Assert.Equal(elements * 4, end - begin);
            expectedStart = end;
        }
        Assert.Equal(dataLength, expectedStart);
        Assert.Contains(tensors, p => p.Key.Contains("Encoder", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(2, new[] { "step-0000018", "step-0000020" })]
    [InlineData(0, new[] { "step-0000004", "step-0000008", "step-0000012", "step-0000016", "step-0000020" })]
    public void Given_keepCheckpoints_When_training_Then_only_the_newest_that_many_remain(int keep, string[] expected)
    {
        using var tmp = new TempFolder();
        int every = keep == 0 ? 4 : 2;
        var r = CliRunner.Run(
            "train", "--config", Repository.Config("tiny.json"), "--out", tmp["run"], "--device", "cpu",
            "--set", $"checkpointEvery={every}", "--set", $"keepCheckpoints={keep}");
        Assert.True(r.ExitCode == 0, r.Error + r.Out);
        var left = Directory.GetDirectories(Path.Combine(tmp["run"], "checkpoints")).Select(Path.GetFileName).Order();
        Assert.Equal(expected, left);
    }
}
