using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using WorldModel.Core.IO;
using static TorchSharp.torch;

namespace WorldModel.Models;

/// <summary>
/// Writes a model's parameters and buffers as a .safetensors file (an 8-byte little-endian header
/// length, a JSON header of names, dtypes, shapes and byte ranges, then the raw data), which
/// PyTorch users open with safetensors.torch.load_file. Metadata carries the run's config.
/// </summary>
public static class SafetensorsWriter
{
    public static void Write(string path, nn.Module model, IReadOnlyDictionary<string, string> metadata)
    {
        var header = new JsonObject();
        var meta = new JsonObject();
        foreach (var (k, v) in metadata) meta[k] = v;
        header["__metadata__"] = meta;
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in model.state_dict())
        {
            using var cpu = tensor.detach().cpu().contiguous().to(ScalarType.Float32);
            var bytes = cpu.bytes.ToArray();
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
}
