using System.Collections.Concurrent;
using MyBi.Abstractions.Connectors;

namespace MyBi.Connectors.YClients.Tests.Support;

/// <summary>Counts requests and page rows per stream.</summary>
internal sealed class CountingObserver : SourceObserver
{
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly ConcurrentDictionary<string, int> _rows = new();

    public int Requests(string stream) => _requests.GetValueOrDefault(stream);

    public int TotalRequests => _requests.Values.Sum();

    public int PageRows(string stream) => _rows.GetValueOrDefault(stream);

    public override void OnRequest(string stream) => _requests.AddOrUpdate(stream, 1, (_, n) => n + 1);

    public override void OnPage(string stream, int rows) => _rows.AddOrUpdate(stream, rows, (_, n) => n + rows);
}
