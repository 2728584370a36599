using System.Diagnostics;

namespace MyBi.Rules.Tests;

/// <summary>Only a regular file of bounded size is read as a rule.</summary>
public sealed class RuleFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-rule-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_CharacterDevice_RefusedWithoutReading()
    {

        var error = Assert.Throws<RuleException>(() => RuleScript.Load("/dev/zero"));

        Assert.Equal("/dev/zero: cannot read the rule file: it is a character device, not a regular file", error.Message);
    }

    [Fact]
    public async Task Load_Fifo_RefusedWithoutBlocking()
    {
        var fifo = Path.Combine(_folder, "rule.js");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Opening a FIFO with no writer would block forever; refusing it must not open it at all.
        // The minute only keeps a regression from hanging the suite.
        var error = await Task.Run(() => Assert.Throws<RuleException>(() => RuleScript.Load(fifo))).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.EndsWith("cannot read the rule file: it is a FIFO (named pipe), not a regular file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Folder_Refused()
    {
        var error = Assert.Throws<RuleException>(() => RuleScript.Load(_folder));

        Assert.EndsWith("cannot read the rule file: it is a folder, not a file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileOverTheCap_RefusedBeforeParsing()
    {
        var path = Path.Combine(_folder, "big.js");
        File.WriteAllText(path, "// " + new string('x', RuleScript.MaxFileBytes));

        var error = Assert.Throws<RuleException>(() => RuleScript.Load(path));

        Assert.EndsWith($"cannot read the rule file: it has {RuleScript.MaxFileBytes + 3} bytes; rule files are limited to {RuleScript.MaxFileBytes}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RegularFile_Parses()
    {
        var path = Path.Combine(_folder, "ok.js");
        File.WriteAllText(path, "\uFEFFdeclare('t', { columns: { id: 'int64' } });\nfunction transform(row) {}\n");

        Assert.Equal(path, RuleScript.Load(path).DisplayPath);
    }
}
