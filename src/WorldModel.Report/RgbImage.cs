namespace WorldModel.Report;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[]? pixels = null)
    {
        Width = width;
        Height = height;
        Pixels = pixels ?? new byte[width * height * 3];
        if (Pixels.Length != width * height * 3)
            throw new ArgumentException(
                $"{Pixels.Length} bytes for a {width}×{height} RGB image (needs {width * height * 3})");
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public void Fill(byte r, byte g, byte b)
    {
        for (int i = 0; i < Pixels.Length; i += 3) { Pixels[i] = r; Pixels[i + 1] = g; Pixels[i + 2] = b; }
    }

    /// <summary>
    /// Copies a square RGB frame in at (x, y), each pixel scaled to a scale × scale block (nearest neighbour:
    /// pixels stay visible).
    /// </summary>
    public void Blit(ReadOnlySpan<byte> frame, int frameSize, int x, int y, int scale)
    {
        for (int j = 0; j < frameSize * scale; j++)
        {
            int ty = y + j;
            if (ty < 0 || ty >= Height) continue;
            for (int i = 0; i < frameSize * scale; i++)
            {
                int tx = x + i;
                if (tx < 0 || tx >= Width) continue;
                int s = ((j / scale) * frameSize + i / scale) * 3, t = (ty * Width + tx) * 3;
                Pixels[t] = frame[s]; Pixels[t + 1] = frame[s + 1]; Pixels[t + 2] = frame[s + 2];
            }
        }
    }
}
