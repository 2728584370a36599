using System.Buffers.Binary;
using MyBi.Abstractions.Errors;
using MyBi.Server.Webhooks;

namespace MyBi.Cli.Tests;

/// <summary>The webhook spool on a real file: what was appended whole survives a torn write and later appends.</summary>
public sealed class WebhookSpoolTests : IDisposable
{
    private static readonly DateTimeOffset s_at = new(2026, 12, 5, 9, 30, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-spool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Append_AfterAWriteTornByAKill_KeepsEveryWholeEntryInOrder()
    {
        using (var spool = new WebhookSpool(_folder, "p"))
        {
            spool.Append([Entry("1"), Entry("2")]);
        }

        // A kill in the middle of an append: the length says 100 bytes, 10 made it to the disk.
        var path = Path.Combine(_folder, ".mybi", "spool", "p.spool");
        using (var file = new FileStream(path, FileMode.Append))
        {
            var prefix = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(prefix, 100);
            file.Write(prefix);
            file.Write(new byte[10]);
        }

        using (var spool = new WebhookSpool(_folder, "p"))
        {
            spool.Append([Entry("3")]);
            Assert.Equal(["1", "2", "3"], spool.Read(chunk: 10).SelectMany(c => c).Select(e => e.Id));
        }
    }

    [Fact]
    public void Entries_CountsAFileLeftByAnEarlierProcess_ThenFollowsAppendsAndClear()
    {
        using (var earlier = new WebhookSpool(_folder, "p"))
        {
            earlier.Append([Entry("1"), Entry("2")]);
        }

        using var spool = new WebhookSpool(_folder, "p");
        Assert.Equal(2, spool.Entries);
        spool.Append([Entry("3")]);
        Assert.Equal(3, spool.Entries);
        spool.Clear();
        Assert.Equal(0, spool.Entries);
        spool.Append([Entry("4")]);
        Assert.Equal(1, spool.Entries);
    }

    [Fact]
    public void Read_DamageInTheMiddle_NamesThePlaceAndKeepsTheBytes()
    {
        using (var spool = new WebhookSpool(_folder, "p"))
        {
            spool.Append([Entry("1")]);
        }

        var path = Path.Combine(_folder, ".mybi", "spool", "p.spool");
        var whole = new FileInfo(path).Length;
        using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF });
            file.Write(new byte[64]);
        }

        using var damaged = new WebhookSpool(_folder, "p");
        var error = Assert.Throws<MyBiException>(() => damaged.Read(chunk: 10).SelectMany(c => c).ToList());
        Assert.Contains($"damaged at byte {whole}", error.Message, StringComparison.Ordinal);
        Assert.Equal(whole + 68, new FileInfo(path).Length);
    }

    private static SpoolEntry Entry(string id) => new("e", id, s_at, $"{{\"id\":{id}}}", null);
}
