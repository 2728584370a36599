using System.Collections.Concurrent;
using MyBi.Connectors.YClients.Sandbox.Data;
using MyBi.Connectors.YClients.Sandbox.Data.Generation;
using MyBi.Connectors.YClients.Sandbox.Webhooks;

namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>The generated dataset behind a sandbox server. Views are snapshots taken at the time of the call;
/// mutators are safe while requests are in flight and stamp <c>last_change_date</c> from the server's TimeProvider.</summary>
public sealed class SandboxData
{
    private readonly Dictionary<long, CompanyState> _companies;
    private readonly IdSequences _ids;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<long, HooksSettings> _hooks = new();

    internal SandboxData(IReadOnlyList<CompanyDataParts> companies, IdSequences ids, DateOnly today, TimeProvider timeProvider)
    {
        _ids = ids;
        _timeProvider = timeProvider;
        Today = today;
        _companies = companies.ToDictionary(c => c.Company.Id, c => new CompanyState(new CompanyDataSet(c)));
        Companies = [.. companies.Select(c => c.Company)];
        RestrictedCompanyId = Companies.Single(c => !c.MainUserHasAccess).Id;
    }

    /// <summary>The anchor date: days before it are history, it and later days hold future bookings.</summary>
    public DateOnly Today { get; }

    /// <summary>All companies, including the restricted one.</summary>
    public IReadOnlyList<SandboxCompany> Companies { get; }

    /// <summary>Companies the main user manages (what <c>/companies?my=1</c> returns).</summary>
    public IReadOnlyList<SandboxCompany> AccessibleCompanies => [.. Companies.Where(c => c.MainUserHasAccess)];

    /// <summary>The company no sandbox user has rights to (403 on its data).</summary>
    public long RestrictedCompanyId { get; }

    public SandboxCompany Company(long companyId) => Set(companyId).Company;
    public IReadOnlyList<SandboxStaff> Staff(long companyId) => Set(companyId).Staff;
    public IReadOnlyList<SandboxClient> Clients(long companyId) => Set(companyId).Clients;
    public IReadOnlyList<SandboxServiceCategory> ServiceCategories(long companyId) => Set(companyId).ServiceCategories;
    public IReadOnlyList<SandboxService> Services(long companyId) => Set(companyId).Services;
    public IReadOnlyList<SandboxTechnologicalCard> TechnologicalCards(long companyId) => Set(companyId).TechnologicalCards;

    /// <summary>All records including deleted ones, ordered by <c>datetime</c> then id.</summary>
    public IReadOnlyList<SandboxRecord> Records(long companyId) => Set(companyId).Records;

    public IReadOnlyList<SandboxVisit> Visits(long companyId) => Set(companyId).Visits;

    /// <summary>All finance transactions including deleted ones, ordered by date then id.</summary>
    public IReadOnlyList<SandboxFinanceTransaction> FinanceTransactions(long companyId) => Set(companyId).FinanceTransactions;

    /// <summary>All goods transactions (sales, consumables, receipts), ordered by create date then id.</summary>
    public IReadOnlyList<SandboxGoodsTransaction> GoodsTransactions(long companyId) => Set(companyId).GoodsTransactions;

    /// <summary>Consumable write-offs: the goods transactions of type 2.</summary>
    public IReadOnlyList<SandboxGoodsTransaction> Consumables(long companyId) =>
        [.. Set(companyId).GoodsTransactions.Where(t => t.TypeId == SandboxGoodsTransaction.ConsumableType)];

    public IReadOnlyList<SandboxStorage> Storages(long companyId) => Set(companyId).Storages;
    public IReadOnlyList<SandboxGood> Goods(long companyId) => Set(companyId).Goods;
    public IReadOnlyList<SandboxDocument> Documents(long companyId) => Set(companyId).Documents;
    public IReadOnlyList<SandboxAccount> Accounts(long companyId) => Set(companyId).Accounts;

    public IReadOnlyList<SandboxLabel> RecordLabels(long companyId) =>
        [.. Set(companyId).Labels.Where(l => l.Entity == SandboxLabel.RecordEntity)];

    public IReadOnlyList<SandboxLabel> ClientLabels(long companyId) =>
        [.. Set(companyId).Labels.Where(l => l.Entity == SandboxLabel.ClientEntity)];

    /// <summary>One record by id (deleted ones too).</summary>
    public SandboxRecord Record(long companyId, long recordId) =>
        Set(companyId).RecordsById.TryGetValue(recordId, out var record)
            ? record
            : throw new ArgumentException($"Record {recordId} does not exist in sandbox company {companyId}.", nameof(recordId));

    /// <summary>Records whose local session date is within [from, to], as <c>/records</c> with start_date/end_date returns them.</summary>
    public IReadOnlyList<SandboxRecord> RecordsBetween(long companyId, DateOnly from, DateOnly to, bool includeDeleted = false) =>
        [.. Records(companyId).Where(r => r.Day >= from && r.Day <= to && (includeDeleted || !r.Deleted))];

    /// <summary>Finance transactions whose local date is within [from, to], as <c>/transactions</c> returns them.</summary>
    public IReadOnlyList<SandboxFinanceTransaction> FinanceTransactionsBetween(long companyId, DateOnly from, DateOnly to, bool deleted = false) =>
        [.. FinanceTransactions(companyId).Where(t => DateOnly.FromDateTime(t.Date.DateTime) is var day && day >= from && day <= to && t.Deleted == deleted)];

    /// <summary>Marks a record deleted and bumps its <c>last_change_date</c>.</summary>
    public SandboxRecord DeleteRecord(long companyId, long recordId) =>
        Announce(companyId, "delete", UpdateRecord(companyId, recordId, (record, stamp) => record with { Deleted = true, LastChangeDate = stamp }));

    /// <summary>Sets a record's attendance (2, 1, 0 or -1) and that of its visit; bumps <c>last_change_date</c>.
    /// Payments are not created or removed.</summary>
    public SandboxRecord ChangeAttendance(long companyId, long recordId, int attendance)
    {
        if (attendance is < -1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(attendance), attendance, "Attendance must be -1, 0, 1 or 2.");
        }

        return Announce(companyId, "update", UpdateRecord(companyId, recordId, (record, stamp) => record with
        {
            Attendance = attendance,
            Confirmed = record.Confirmed || attendance != 0,
            LastChangeDate = stamp,
        }));
    }

    /// <summary>
    /// Sets the final cost of one service line of a record (<c>cost</c>, <c>manual_cost</c>, <c>cost_to_pay</c>)
    /// WITHOUT touching <c>last_change_date</c>: a correction in the past that the change feed does not show, so a
    /// <c>changed_after</c> read misses it and only a read of the record's period sees it.
    /// </summary>
    public SandboxRecord ChangeServiceCostSilently(long companyId, long recordId, long serviceId, decimal cost)
    {
        if (cost < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cost), cost, "A cost is 0 or more.");
        }

        return UpdateRecord(companyId, recordId, (record, _) =>
        {
            if (record.Services.All(s => s.ServiceId != serviceId))
            {
                throw new ArgumentException($"Record {recordId} of sandbox company {companyId} has no service {serviceId}.", nameof(serviceId));
            }

            return record with
            {
                Services = [.. record.Services.Select(s => s.ServiceId == serviceId ? s with { Cost = cost, ManualCost = cost, CostToPay = cost } : s)],
            };
        });
    }

    /// <summary>Creates a record (with its own visit and "Визит" document), created and changed now.</summary>
    public SandboxRecord AddRecord(long companyId, SandboxNewRecord newRecord)
    {
        ArgumentNullException.ThrowIfNull(newRecord);
        var state = State(companyId);
        lock (state.Gate)
        {
            var set = state.Current;
            var mutation = new RecordMutation(set, _ids, _timeProvider);
            state.Current = new CompanyDataSet(mutation.Add(newRecord, out var record));
            Changed?.Invoke(new SandboxChange(state.Current, "record", record.Id, "create"));
            return record;
        }
    }

    /// <summary>Changes a client's comment and bumps the client's <c>last_change_date</c>.</summary>
    public SandboxClient ChangeClientComment(long companyId, long clientId, string comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        var state = State(companyId);
        lock (state.Gate)
        {
            var set = state.Current;
            if (!set.ClientsById.TryGetValue(clientId, out var client))
            {
                throw new ArgumentException($"Client {clientId} does not exist in sandbox company {companyId}.", nameof(clientId));
            }

            var changed = client with { Comment = comment, LastChangeDate = Stamp(set.Company, client.LastChangeDate) };
            state.Current = new CompanyDataSet(set.Parts with { Clients = [.. set.Clients.Select(c => c.Id == clientId ? changed : c)] });
            Changed?.Invoke(new SandboxChange(state.Current, "client", clientId, "update"));
            return changed;
        }
    }

    internal CompanyDataSet? Snapshot(long companyId) =>
        _companies.TryGetValue(companyId, out var state) ? state.Current : null;

    internal IEnumerable<CompanyDataSet> Snapshots() => Companies.Select(c => _companies[c.Id].Current);

    /// <summary>Called for every change YCLIENTS would announce with a webhook; it must only queue.</summary>
    internal Action<SandboxChange>? Changed { get; set; }

    internal HooksSettings Hooks(long companyId) => _hooks.GetValueOrDefault(companyId, HooksSettings.Empty);

    internal void SetHooks(long companyId, HooksSettings settings) => _hooks[companyId] = settings;

    internal DateTimeOffset Stamp(SandboxCompany company, DateTimeOffset previous) =>
        RecordMutation.Stamp(_timeProvider, company, previous);

    private SandboxRecord Announce(long companyId, string status, SandboxRecord record)
    {
        // After the company's lock: a change made meanwhile shows in the snapshot, which then carries a newer state.
        if (Changed is { } changed && Snapshot(companyId) is { } set)
        {
            changed(new SandboxChange(set, "record", record.Id, status));
        }

        return record;
    }

    private SandboxRecord UpdateRecord(long companyId, long recordId, Func<SandboxRecord, DateTimeOffset, SandboxRecord> change)
    {
        var state = State(companyId);
        lock (state.Gate)
        {
            var set = state.Current;
            if (!set.RecordsById.TryGetValue(recordId, out var record))
            {
                throw new ArgumentException($"Record {recordId} does not exist in sandbox company {companyId}.", nameof(recordId));
            }

            var changed = change(record, Stamp(set.Company, record.LastChangeDate));
            var visits = set.Visits.Select(v => v.Id == changed.VisitId ? v with { Attendance = changed.Attendance } : v);
            state.Current = new CompanyDataSet(set.Parts with
            {
                Records = [.. set.Records.Select(r => r.Id == recordId ? changed : r)],
                Visits = [.. visits],
            });
            return changed;
        }
    }

    private CompanyDataSet Set(long companyId) => State(companyId).Current;

    private CompanyState State(long companyId) =>
        _companies.TryGetValue(companyId, out var state)
            ? state
            : throw new ArgumentException($"Sandbox company {companyId} does not exist; ids start at {CompanyCatalog.FirstCompanyId}.", nameof(companyId));

    private sealed class CompanyState(CompanyDataSet initial)
    {
        private CompanyDataSet _current = initial;

        public object Gate { get; } = new();

        public CompanyDataSet Current
        {
            get => Volatile.Read(ref _current);
            set => Volatile.Write(ref _current, value);
        }
    }
}
