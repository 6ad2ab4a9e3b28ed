using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace WorldModel.Data.Tests;

public sealed class NpzWriterTests
{
    [Fact]
    public void Given_arrays_Then_the_npz_holds_npy_files_numpy_can_parse()
    {
        using var tmp = new TempFolder();
        float[] states = [1, 2, 3, 4, 5, 6];
        byte[] frames = [7, 8, 9, 10];
        NpzWriter.Write(tmp["x.npz"],
            [NpzWriter.Array.Of("states", states, 1, 3, 2), NpzWriter.Array.Of("frames", frames, 4)]);

        using var zip = ZipFile.OpenRead(tmp["x.npz"]);
        Assert.Equal(["states.npy", "frames.npy"], zip.Entries.Select(e => e.FullName));
        using var ms = new MemoryStream();
        zip.GetEntry("states.npy")!.Open().CopyTo(ms);
        var bytes = ms.ToArray();
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.Equal(0, (10 + headerLength) % 64); // npy 1.0 alignment
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'shape': (1, 3, 2)", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(states, MemoryMarshal.Cast<byte, float>(bytes.AsSpan(10 + headerLength)).ToArray());
        Assert.Contains("'shape': (4,)", Encoding.ASCII.GetString(NpzWriter.Header("|u1", [4])));
    }
}
