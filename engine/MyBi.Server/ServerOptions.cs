using System.Net;
using MyBi.Abstractions.Errors;

namespace MyBi.Server;

/// <summary>How <c>mybi serve</c> listens and reports.</summary>
public sealed class ServerOptions
{
    /// <summary>The address to listen on; port 0 picks a free one.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>The process clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Receives one line per notable event (already redacted of the pipelines' secrets).</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>The reconciliation stage scheduled jobs run; without it a pipeline that schedules reconcile is refused at start.</summary>
    public Scheduling.ReconcileStage? Reconcile { get; init; }

    /// <summary>Reads <c>--listen</c>: <c>HOST:PORT</c> or a port alone (on 127.0.0.1).</summary>
    public static IPEndPoint ParseListen(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (int.TryParse(text, out var port) && port is >= 0 and <= 65535)
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        var value = text.Replace("localhost", "127.0.0.1", StringComparison.OrdinalIgnoreCase);
        return IPEndPoint.TryParse(value, out var endpoint) && value.Contains(':', StringComparison.Ordinal)
            ? endpoint
            : throw MyBiException.Config($"--listen takes HOST:PORT (for example 127.0.0.1:8080), not '{text}'.");
    }
}
