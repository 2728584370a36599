using System.Diagnostics;
using System.Text;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>Runs the real `mybi` program as a child process, the way a user does.</summary>
internal static class CliProcess
{
    /// <summary>The CLI's own build output (it holds plugins/yclients), next to this test project's output.</summary>
    public static string CliDirectory
    {
        get
        {
            // artifacts/bin/MyBi.Cli.Tests/<pivot>/ -> artifacts/bin/MyBi.Cli/<pivot>/
            var own = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var candidate = Path.Combine(own.Parent!.Parent!.FullName, "MyBi.Cli", own.Name);
            return File.Exists(Path.Combine(candidate, "mybi.dll"))
                ? candidate
                : throw new InvalidOperationException($"mybi.dll not found in {candidate}; build engine/MyBi.Cli first.");
        }
    }

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(CliDirectory, "mybi.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("MYBI_PLUGINS_PATH");
        // The engine continues the suite's pinned timeline; a test may still set its own MYBI_NOW.
        info.Environment["MYBI_NOW"] = TestClock.EngineNow;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
