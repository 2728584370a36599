using System.Text.Json.Nodes;

namespace MyBi.Connectors.YClients.Reading;

/// <summary>Builds one visit row from the records of the visit seen in a read.</summary>
internal sealed class VisitAccumulator
{
    private long? _clientId;
    private long? _attendance;
    private DateTimeOffset? _start;
    private DateTimeOffset? _lastChange;
    private bool _allDeleted = true;

    public void Add(long? clientId, long? attendance, DateTimeOffset? start, bool deleted, DateTimeOffset? lastChange)
    {
        _clientId ??= clientId;
        // The latest-changed record carries the freshest visit status.
        if (attendance is not null && (_lastChange is null || lastChange is null || lastChange >= _lastChange))
        {
            _attendance = attendance;
        }

        if (start is not null && (_start is null || start < _start))
        {
            _start = start;
        }

        if (lastChange is not null && (_lastChange is null || lastChange > _lastChange))
        {
            _lastChange = lastChange;
        }

        _allDeleted &= deleted;
    }

    public JsonObject ToRow(long visitId, long companyId) => new()
    {
        ["visit_id"] = visitId,
        ["company_id"] = companyId,
        ["client_id"] = _clientId,
        ["attendance"] = _attendance,
        ["datetime"] = _start is { } start ? JsonValue.Create(start) : null,
        ["deleted"] = _allDeleted,
        ["last_change_date"] = _lastChange is { } change ? JsonValue.Create(change) : null,
    };
}
