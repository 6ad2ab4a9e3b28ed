using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using WorldModel.Core.IO;
using static TorchSharp.torch;

namespace WorldModel.Models;

/// <summary>
/// Writes a model's parameters and buffers as a .safetensors file (an 8-byte little-endian header
/// length, a JSON header of names, dtypes, shapes and byte ranges, then the raw data), which
/// PyTorch users open with safetensors.torch.load_file. Names are PyTorch's (see <see cref="PyTorchName"/>),
/// so <c>load_state_dict</c> of a module built like ours takes the file as it is. Metadata carries the
/// run's config.
/// </summary>
public static class SafetensorsWriter
{
    public static void Write(string path, nn.Module model, IReadOnlyDictionary<string, string> metadata) =>
        Write(path, model.state_dict().Select(p => (PyTorchName(p.Key), p.Value)), metadata);

    /// <summary>Named tensors (float32 on disk, in the order given) and string metadata.</summary>
    public static void Write(
        string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var header = new JsonObject();
        var meta = new JsonObject();
        foreach (var (k, v) in metadata) meta[k] = v;
        header["__metadata__"] = meta;
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            using var cpu = tensor.detach().cpu().contiguous().to(ScalarType.Float32);
            var bytes = cpu.bytes.ToArray();
            if (header.ContainsKey(name)) throw new ArgumentException($"two tensors are named '{name}'");
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(cpu.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes.Length),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // data starts 8-byte aligned
        AtomicFile.Write(path, s =>
        {
            s.Write(BitConverter.GetBytes((ulong)padded));
            s.Write(json);
            for (int i = json.Length; i < padded; i++) s.WriteByte((byte)' ');
            foreach (var b in blobs) s.Write(b);
        });
    }

    /// <summary>
    /// A TorchSharp state-dict name as PyTorch spells it: TorchSharp names submodules after the C# fields
    /// that hold them, so a property's backing field <c>&lt;TargetEncoder&gt;k__BackingField</c> becomes
    /// <c>target_encoder</c> and a private field <c>_stages</c> becomes <c>stages</c> (snake case, as
    /// PyTorch modules name their attributes); Sequential indices and weight/bias stay.
    /// </summary>
    public static string PyTorchName(string torchSharpName) =>
        string.Join('.', torchSharpName.Split('.').Select(PyTorchPart));

    private const string BackingField = ">k__BackingField";

    private static string PyTorchPart(string part)
    {
        if (part.StartsWith('<') && part.EndsWith(BackingField, StringComparison.Ordinal))
            part = part[1..^BackingField.Length];
        part = part.TrimStart('_');
        var sb = new StringBuilder(part.Length + 4);
        for (int i = 0; i < part.Length; i++)
        {
            char c = part[i];
            // A capital starts a word ("InverseDynamics" → "inverse_dynamics"), except inside an acronym.
            if (char.IsUpper(c) && i > 0 && (char.IsLower(part[i - 1]) || char.IsDigit(part[i - 1])
                || (i + 1 < part.Length && char.IsLower(part[i + 1]) && char.IsUpper(part[i - 1]))))
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
