using WorldModel.Core.IO;

namespace WorldModel.Report;

/// <summary>
/// Animated GIF (GIF89a) encoder: a fixed 6×7×6 colour cube as the global palette, LZW-coded
/// frames, looping forever. Small and dependency-free; meant for previews and slides.
/// </summary>
public static class GifWriter
{
    private static readonly byte[] Palette = BuildPalette();

    private static byte[] BuildPalette()
    {
        var p = new byte[256 * 3];
        int k = 0;
        for (int r = 0; r < 6; r++)
            for (int g = 0; g < 7; g++)
                for (int b = 0; b < 6; b++, k++)
                {
                    p[3 * k] = (byte)(r * 255 / 5);
                    p[3 * k + 1] = (byte)(g * 255 / 6);
                    p[3 * k + 2] = (byte)(b * 255 / 5);
                }
        return p;
    }

    private static byte Index(byte r, byte g, byte b) =>
        (byte)(((r * 5 + 127) / 255) * 42 + ((g * 6 + 127) / 255) * 6 + (b * 5 + 127) / 255);

    /// <summary>Writes frames (all the same size) with the given delay per frame (1/100 s units).</summary>
    public static void Write(string path, IReadOnlyList<RgbImage> frames, int delayCentiseconds = 10)
    {
        if (frames.Count == 0) throw new ArgumentException("no frames to write", nameof(frames));
        int w = frames[0].Width, h = frames[0].Height;
        AtomicFile.Write(path, stream =>
        {
            using var o = new BinaryWriter(stream, System.Text.Encoding.ASCII, leaveOpen: true);
            o.Write("GIF89a"u8);
            o.Write((ushort)w); o.Write((ushort)h);
            o.Write((byte)0xF7); // global colour table, 8 bits per colour, 256 entries
            o.Write((byte)0); o.Write((byte)0);
            o.Write(Palette);
            // Netscape extension: loop forever.
            o.Write([0x21, 0xFF, 0x0B]); o.Write("NETSCAPE2.0"u8); o.Write([0x03, 0x01, 0x00, 0x00, 0x00]);
            foreach (var f in frames)
            {
                if (f.Width != w || f.Height != h)
                    throw new ArgumentException("all GIF frames must have the same size");
                o.Write([0x21, 0xF9, 0x04, 0x00]); o.Write((ushort)delayCentiseconds); o.Write([0x00, 0x00]);
                o.Write((byte)0x2C); o.Write((ushort)0); o.Write((ushort)0);
                o.Write((ushort)w); o.Write((ushort)h); o.Write((byte)0);
                var indices = new byte[w * h];
                for (int p = 0; p < indices.Length; p++)
                    indices[p] = Index(f.Pixels[3 * p], f.Pixels[3 * p + 1], f.Pixels[3 * p + 2]);
                o.Write((byte)8); // LZW minimum code size
                var lzw = Lzw(indices);
                for (int i = 0; i < lzw.Length; i += 255)
                {
                    int n = Math.Min(255, lzw.Length - i);
                    o.Write((byte)n);
                    o.Write(lzw, i, n);
                }
                o.Write((byte)0);
            }
            o.Write((byte)0x3B);
        });
    }

    /// <summary>
    /// GIF's variable-width LZW over 8-bit indices (clear code 256, end code 257, codes up to 12 bits).
    /// </summary>
    private static byte[] Lzw(byte[] data)
    {
        const int clear = 256, end = 257;
        var output = new List<byte>(data.Length);
        int bitBuffer = 0, bitCount = 0, codeSize = 9, next = 258;
        var table = new Dictionary<int, int>();
        void Emit(int code)
        {
            bitBuffer |= code << bitCount;
            bitCount += codeSize;
            while (bitCount >= 8) { output.Add((byte)(bitBuffer & 0xFF)); bitBuffer >>= 8; bitCount -= 8; }
        }
        Emit(clear);
        int prefix = data[0];
        for (int i = 1; i < data.Length; i++)
        {
            int c = data[i];
            int key = (prefix << 8) | c;
            if (table.TryGetValue(key, out int code)) { prefix = code; continue; }
            Emit(prefix);
            if (next < 4096)
            {
                table[key] = next++;
                if (next > (1 << codeSize) && codeSize < 12) codeSize++;
            }
            else
            {
                Emit(clear);
                table.Clear();
                next = 258;
                codeSize = 9;
            }
            prefix = c;
        }
        Emit(prefix);
        Emit(end);
        if (bitCount > 0) output.Add((byte)(bitBuffer & 0xFF));
        return output.ToArray();
    }
}
