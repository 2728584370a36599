using System.Net;
using System.Net.Sockets;

namespace MyBi.Destinations.ClickHouse.Tests;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of the ClickHouse server, so a test can break a destination's connection in
/// the middle of a request, the way a network failure would. <see cref="CutNextUpload"/> arms it: the next
/// connection that sends more than a few kilobytes to the server afterwards is reset in the middle of its body.
/// </summary>
internal sealed class InterruptibleTcpProxy : IAsyncDisposable
{
    private const int CutAfterBytes = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _connections = [];
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;
    private TaskCompletionSource? _armed;

    public InterruptibleTcpProxy(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The port the proxy listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>How many connections were cut.</summary>
    public int Cuts { get; private set; }

    /// <summary>
    /// Arms the proxy: the next connection that uploads more than 16 KB from now on is reset. The returned task
    /// completes when that has happened.
    /// </summary>
    public Task CutNextUpload()
    {
        lock (_lock)
        {
            _armed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _armed.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Task[] connections;
        lock (_lock)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections.Append(_acceptLoop)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using (client)
        {
            try
            {
                await upstream.ConnectAsync(_upstreamHost, _upstreamPort, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                Reset(client);
                return;
            }

            using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var up = PumpAsync(client, upstream, watchUploads: true, connection);
            var down = PumpAsync(upstream, client, watchUploads: false, connection);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            await connection.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool watchUploads, CancellationTokenSource connection)
    {
        var buffer = new byte[64 * 1024];
        long uploadedWhileArmed = 0;
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, connection.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (watchUploads && ShouldCut(ref uploadedWhileArmed, read))
                {
                    Reset(from);
                    Reset(to);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, connection.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other direction ended the connection, or it was cut.
        }
    }

    private bool ShouldCut(ref long uploadedWhileArmed, int read)
    {
        TaskCompletionSource? armed;
        lock (_lock)
        {
            armed = _armed;
            if (armed is null)
            {
                uploadedWhileArmed = 0;
                return false;
            }

            uploadedWhileArmed += read;
            if (uploadedWhileArmed < CutAfterBytes)
            {
                return false;
            }

            _armed = null;
            Cuts++;
        }

        armed.TrySetResult();
        return true;
    }

    private static void Reset(Socket socket)
    {
        try
        {
            // Linger 0 makes Close send RST: both ends see the connection die rather than end.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }
}
