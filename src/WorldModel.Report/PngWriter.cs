using SkiaSharp;
using WorldModel.Core.IO;

namespace WorldModel.Report;

/// <summary>PNG files through SkiaSharp (which ScottPlot already brings), written atomically.</summary>
public static class PngWriter
{
    public static void Write(string path, RgbImage image) => AtomicFile.WriteAllBytes(path, Encode(image));

    /// <summary>The PNG bytes of an image (the demo sends frames to the browser this way).</summary>
    public static byte[] Encode(RgbImage image)
    {
        using var bitmap = new SKBitmap(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var rgba = new byte[image.Width * image.Height * 4];
        for (int p = 0, q = 0; p < image.Pixels.Length; p += 3, q += 4)
        {
            rgba[q] = image.Pixels[p]; rgba[q + 1] = image.Pixels[p + 1];
            rgba[q + 2] = image.Pixels[p + 2]; rgba[q + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
