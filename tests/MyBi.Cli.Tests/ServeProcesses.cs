using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MyBi.Testing;

namespace MyBi.Cli.Tests;

/// <summary>
/// `mybi serve` as a child process, the way the tests of webhooks, schedules and the status page run it: the built
/// CLI with the pinned clock and its bundled plugins, every output line kept in a log, stopped with SIGTERM as a
/// service manager stops it.
/// </summary>
internal static class ServeProcesses
{
    /// <summary>Starts <c>mybi serve ARGS</c> in <paramref name="folder"/>; each line it prints goes to <paramref name="log"/>, prefixed by its process id.</summary>
    public static Process Start(string folder, StringBuilder log, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(CliProcess.CliDirectory, "mybi.dll"));
        info.ArgumentList.Add("serve");
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("MYBI_PLUGINS_PATH");
        info.Environment["MYBI_NOW"] = TestClock.EngineNow;
        var process = Process.Start(info)!;
        var id = process.Id;
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.Append(id).Append(": ").AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until the server takes connections on <paramref name="port"/> (its features start before it listens).</summary>
    public static async Task WaitListeningAsync(Process process, int port, StringBuilder log)
    {
        for (var i = 0; i < 600; i++)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Assert.False(process.HasExited, "mybi serve exited: " + Text(log));
                await Task.Delay(100);
            }
        }

        Assert.Fail("mybi serve did not start listening: " + Text(log));
    }

    /// <summary>SIGTERM: the server stops taking requests, lets the work in hand finish, and exits.</summary>
    public static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }
}
