using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using WorldModel.Core.IO;

namespace WorldModel.Data;

/// <summary>
/// Writes NumPy .npz archives (a zip of .npy files, format 1.0: magic, header dict padded to a
/// multiple of 64 bytes, little-endian C-order data), so Python users can np.load our datasets.
/// </summary>
public static class NpzWriter
{
    public sealed record Array(string Name, string Dtype, long[] Shape, Func<Stream, long> Write)
    {
        public static Array Of(string name, float[] data, params long[] shape) =>
            new(name, "<f4", shape, s => { s.Write(MemoryMarshal.AsBytes(data.AsSpan())); return data.Length * 4L; });

        public static Array Of(string name, byte[] data, params long[] shape) =>
            new(name, "|u1", shape, s => { s.Write(data); return data.Length; });
    }

    public static void Write(string path, IEnumerable<Array> arrays) =>
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var a in arrays)
            {
                var entry = zip.CreateEntry(a.Name + ".npy", CompressionLevel.Fastest);
                using var s = entry.Open();
                s.Write(Header(a.Dtype, a.Shape));
                long written = a.Write(s);
                long expected = a.Shape.Aggregate(1L, (x, y) => x * y) * (a.Dtype == "|u1" ? 1 : 4);
                if (written != expected)
                    throw new InvalidOperationException($"{a.Name}: wrote {written} bytes for shape " +
                        $"({string.Join(", ", a.Shape)}), expected {expected}");
            }
        });

    public static byte[] Header(string dtype, long[] shape)
    {
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string dict = $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': ({dims}), }}";
        int unpadded = 10 + dict.Length + 1; // magic(6) + version(2) + length(2) + dict + '\n'
        int pad = (64 - unpadded % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        var bytes = new byte[10 + header.Length];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(bytes, 1);
        bytes[6] = 1; bytes[7] = 0;
        BitConverter.GetBytes((ushort)header.Length).CopyTo(bytes, 8);
        Encoding.ASCII.GetBytes(header).CopyTo(bytes, 10);
        return bytes;
    }
}
