using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MyBi.Connectors.YClients.Tests.Support;

/// <summary>
/// A loopback HTTP server whose answers a test writes by hand (huge, compressed, redirecting or not JSON), for what
/// the sandbox never sends. It records every request it receives.
/// </summary>
internal sealed class RawHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _answer;
    private readonly Task _loop;

    private RawHttpServer(string host, int port, Func<HttpListenerContext, Task> answer)
    {
        _answer = answer;
        Port = port;
        Host = host;
        _listener.Prefixes.Add($"http://{host}:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Host { get; }

    public int Port { get; }

    public Uri BaseUrl => new($"http://{Host}:{Port}/api/v1");

    /// <summary>"METHOD path?query" of every request, and its body.</summary>
    public ConcurrentQueue<(string Request, string Body)> Requests { get; } = new();

    public static RawHttpServer Start(Func<HttpListenerContext, Task> answer, string host = "127.0.0.1") =>
        new(host, FreePort(), answer);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var reader = new StreamReader(context.Request.InputStream);
                Requests.Enqueue(($"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery}", await reader.ReadToEndAsync()));
                try
                {
                    await _answer(context);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
                {
                    // The client stopped reading (the answer was too large for it): nobody to answer.
                    context.Response.Abort();
                }
            });
        }
    }
}
