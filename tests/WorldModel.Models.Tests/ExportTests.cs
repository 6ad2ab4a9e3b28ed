using System.Diagnostics;
using System.Text.RegularExpressions;
using WorldModel.Core.Config;
using WorldModel.Models.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WorldModel.Models.Tests;

/// <summary>
/// `wm export`'s safetensors file loads into PyTorch as it is: tests/python/check_export.py builds wm's modules
/// in PyTorch (Debian's python3-torch, which ./test installs), loads the file with load_state_dict(strict=True)
/// and compares its outputs on the same frames with wm's.
/// </summary>
[Collection("torch")]
public sealed partial class ExportTests(ITestOutputHelper output)
{
    private const string Python = "/usr/bin/python3";

    [Theory]
    [InlineData(LatentKind.Spatial, PredictorKind.Residual)]
    [InlineData(LatentKind.Flat, PredictorKind.Residual)]
    [InlineData(LatentKind.Flat, PredictorKind.Gru)]
    public void Given_an_exported_model_When_PyTorch_loads_it_by_name_Then_its_outputs_match_wm_within_1e_4(
        LatentKind latent, PredictorKind predictor)
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        manual_seed(3);
        var config = new ModelConfig
        {
            Widths = [8, 16], Latent = latent, LatentDim = 24, Predictor = predictor, PredictorHidden = 32,
            DecoderWidth = 8,
        };
        using var model = new LatentWorldModel(
            config, channels: 3, frameSize: 32, actionDim: 2, withDecoder: true, withInverseDynamics: true,
            withTargetEncoder: true);
        using var scope = NewDisposeScope();
        var frames = rand(4, 3, 32, 32);
        var actions = randn(4, 2);
        Tensor z, predictions, decoded;
        using (no_grad())
        {
            z = model.Encoder.call(frames);
            predictions = model.Predictor.call(z, actions);
            decoded = model.Decoder!.call(z);
        }
        using var tmp = new TempFolder();
        SafetensorsWriter.Write(tmp["model.safetensors"], model, new Dictionary<string, string>
        {
            ["worldmodel_config"] = ConfigLoader.ToJson(new RunConfig { Model = config }),
        });
        SafetensorsWriter.Write(
            tmp["probe.safetensors"],
            [
                ("frames", frames),
                ("actions", actions),
                ("latents", z),
                ("predictions", predictions),
                ("decoded", decoded)
            ],
            new Dictionary<string, string>());

        var (exit, text) = RunPython(Repository.Path("tests/python/check_export.py"), tmp["model.safetensors"],
            tmp["probe.safetensors"]);
        output.WriteLine(text);
        Assert.True(exit == 0, text);
        Assert.Contains("largest difference", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<Encoder>k__BackingField._stages.0._conv.weight", "encoder.stages.0.conv.weight")]
    [InlineData("<TargetEncoder>k__BackingField._head.1.bias", "target_encoder.head.1.bias")]
    [InlineData("<InverseDynamics>k__BackingField._mlp.2.weight", "inverse_dynamics.mlp.2.weight")]
    [InlineData("<Predictor>k__BackingField._cell.weight_ih", "predictor.cell.weight_ih")]
    public void Given_a_TorchSharp_name_Then_the_export_spells_it_as_PyTorch_does(string torchSharp, string pyTorch) =>
        Assert.Equal(pyTorch, SafetensorsWriter.PyTorchName(torchSharp));

    [Fact]
    public void Given_every_model_part_Then_each_exported_name_is_a_PyTorch_attribute_path()
    {
        TorchRuntime.Initialise(DeviceKind.Cpu);
        using var model = new LatentWorldModel(
            new ModelConfig { Widths = [8], PredictorHidden = 16, DecoderWidth = 8 }, channels: 3, frameSize: 16,
            actionDim: 2, withDecoder: true, withInverseDynamics: true, withTargetEncoder: true);
        var names = model.state_dict().Keys.Select(SafetensorsWriter.PyTorchName).ToList();
        Assert.All(names, n => Assert.Matches(AttributePath(), n));
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.([a-z][a-z0-9_]*|[0-9]+))*$")]
    private static partial Regex AttributePath();

    private static (int Exit, string Text) RunPython(params string[] args)
    {
        Assert.True(File.Exists(Python),
            $"{Python} is missing: install Debian's python3 and python3-torch (./test does)");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string text = stdout + stderr.Result;
        Assert.False(text.Contains("No module named 'torch'", StringComparison.Ordinal),
            "Debian's python3-torch is missing: sudo apt-get install python3-torch (./test installs it)");
        return (p.ExitCode, text);
    }
}
