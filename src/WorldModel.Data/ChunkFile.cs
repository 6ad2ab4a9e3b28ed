using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using WorldModel.Core.IO;

namespace WorldModel.Data;

/// <summary>
/// One chunk of episodes: a fixed header, the arrays (states, actions, layouts, optional frames),
/// then the SHA-256 of everything before it. Read whole and verified before any value is used.
/// </summary>
public sealed class ChunkFile
{
    private static readonly byte[] Magic = "WMCHUNK1"u8.ToArray();
    private const int HeaderBytes = 8 + 7 * 4 + 8 + HashFieldBytes;
    private const int HashFieldBytes = 16;
    private const int HashBytes = 32;

    /// <summary>
    /// Content hash of the dataset this chunk belongs to (16 hex digits), so chunks of another config are never
    /// mixed in.
    /// </summary>
    public required string ContentHash { get; init; }
    public required int Episodes { get; init; }
    public required int Steps { get; init; }
    public required int StateDim { get; init; }
    public required int ActionDim { get; init; }
    public required int LayoutDim { get; init; }
    public int FrameBytes { get; init; }
    /// <summary>Episodes × (Steps + 1) × StateDim.</summary>
    public required float[] States { get; init; }
    /// <summary>Episodes × Steps × ActionDim.</summary>
    public required float[] Actions { get; init; }
    /// <summary>Episodes × LayoutDim.</summary>
    public required float[] Layouts { get; init; }
    /// <summary>Episodes × (Steps + 1) × FrameBytes, or empty.</summary>
    public byte[] Frames { get; init; } = [];
    /// <summary>Size and checksum of the file this chunk was read from (empty before writing).</summary>
    public long Bytes { get; private init; }
    public string Sha256 { get; private init; } = "";

    /// <summary>Writes atomically; returns (bytes, sha256).</summary>
    public (long Bytes, string Sha256) Write(string path)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(DatasetManifest.CurrentFormatVersion);
            w.Write(Episodes); w.Write(Steps); w.Write(StateDim);
            w.Write(ActionDim); w.Write(LayoutDim); w.Write(FrameBytes);
            long payload = 4L * (States.Length + Actions.Length + Layouts.Length) + Frames.Length;
            w.Write(payload);
            w.Write(Encoding.ASCII.GetBytes(ContentHash.PadRight(HashFieldBytes)[..HashFieldBytes]));
            w.Write(MemoryMarshal.AsBytes(States.AsSpan()));
            w.Write(MemoryMarshal.AsBytes(Actions.AsSpan()));
            w.Write(MemoryMarshal.AsBytes(Layouts.AsSpan()));
            w.Write(Frames);
        }
        var hash = SHA256.HashData(ms.GetBuffer().AsSpan(0, (int)ms.Length));
        ms.Write(hash);
        var bytes = ms.GetBuffer().AsSpan(0, (int)ms.Length);
        AtomicFile.WriteAllBytes(path, bytes);
        return (bytes.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>
    /// Reads and verifies a chunk; <paramref name="expectedSha256"/> (from the manifest) is checked too when given.
    /// </summary>
    public static ChunkFile Read(string path, string? expectedSha256 = null)
    {
        string name = Path.GetFileName(path);
        if (!File.Exists(path))
            throw new DatasetCorruptException($"{path} is missing; regenerate the dataset (completed chunks are kept)");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderBytes + HashBytes || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new DatasetCorruptException(
                $"{path} is not a WorldModel chunk (bad header or truncated to {bytes.Length} bytes); " +
                "delete it and run 'wm data generate' again to rewrite it");
        var h = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(8, 28));
        int version = h[0], episodes = h[1], steps = h[2], sd = h[3], ad = h[4], ld = h[5], fb = h[6];
        long payload = BitConverter.ToInt64(bytes, 36);
        string contentHash = Encoding.ASCII.GetString(bytes, 44, HashFieldBytes).TrimEnd();
        if (version != DatasetManifest.CurrentFormatVersion)
            throw new DatasetCorruptException(
                $"{path} has format version {version}; this build reads {DatasetManifest.CurrentFormatVersion}");
        long expectedLength = HeaderBytes + payload + HashBytes;
        if (bytes.Length != expectedLength)
            throw new DatasetCorruptException(
                $"{name} is truncated or padded: {bytes.Length} bytes, expected {expectedLength}; " +
                "delete it and run 'wm data generate' again to rewrite it");
        var body = bytes.AsSpan(0, (int)(HeaderBytes + payload));
        var actual = Convert.ToHexStringLower(SHA256.HashData(body));
        var stored = Convert.ToHexStringLower(bytes.AsSpan((int)(HeaderBytes + payload), HashBytes));
        if (actual != stored || (expectedSha256 is not null && actual != expectedSha256))
            throw new DatasetCorruptException(
                $"{name} failed its checksum (SHA-256 {actual[..12]}…, " +
                $"expected {(expectedSha256 ?? stored)[..12]}…): " +
                "the file is corrupted; delete it and run 'wm data generate' again to rewrite it");

        int offset = HeaderBytes;
        float[] Take(long count)
        {
            var arr = new float[count];
            MemoryMarshal.Cast<byte, float>(bytes.AsSpan(offset, (int)(count * 4))).CopyTo(arr);
            offset += (int)(count * 4);
            return arr;
        }
        var states = Take((long)episodes * (steps + 1) * sd);
        var actions = Take((long)episodes * steps * ad);
        var layouts = Take((long)episodes * ld);
        var frames = fb > 0 ? bytes.AsSpan(offset, episodes * (steps + 1) * fb).ToArray() : [];
        return new ChunkFile
        {
            ContentHash = contentHash,
            Episodes = episodes, Steps = steps, StateDim = sd, ActionDim = ad, LayoutDim = ld, FrameBytes = fb,
            States = states, Actions = actions, Layouts = layouts, Frames = frames,
            Bytes = bytes.Length, Sha256 = actual,
        };
    }
}
