namespace MyBi.Connectors.YClients.Sandbox;

/// <summary>Settings of one sandbox server: dataset sizes, the time anchor, limits and fault injection.</summary>
public sealed class SandboxOptions
{
    /// <summary>Seed of the generated dataset and of the fault/slow decisions.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Companies the main user can manage; one more company without rights is always added after them.</summary>
    public int Companies { get; set; } = 2;

    public int StaffPerCompany { get; set; } = 6;

    public int ClientsPerCompany { get; set; } = 200;

    public int ServicesPerCompany { get; set; } = 20;

    /// <summary>Days of history before <see cref="Today"/>.</summary>
    public int DaysBack { get; set; } = 60;

    /// <summary>Days of future bookings after <see cref="Today"/>.</summary>
    public int DaysForward { get; set; } = 7;

    public double RecordsPerStaffPerDay { get; set; } = 4;

    /// <summary>
    /// Exactly this many records per company and day, instead of a varying number from
    /// <see cref="RecordsPerStaffPerDay"/>: a volume knob for load tests. When the staff's working hours are full,
    /// the day starts over at opening time, so employees are booked twice rather than the volume falling short.
    /// </summary>
    public int? RecordsPerDay { get; set; }

    /// <summary>
    /// Keeps the path and query of every request answered with 200 in <see cref="SandboxStats.AnsweredTargets"/>,
    /// so the same pages can be fetched again (the benchmarks' ceiling). Off by default: a long-running sandbox
    /// would keep them all.
    /// </summary>
    public bool RecordAnsweredTargets { get; set; }

    /// <summary>Anchor date of the dataset; null takes the UTC date of <see cref="TimeProvider"/>.</summary>
    public DateOnly? Today { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    public bool RateLimitEnabled { get; set; } = true;

    public int RequestsPerSecond { get; set; } = 5;

    public int RequestsPerMinute { get; set; } = 200;

    /// <summary>Share of authorized requests answered with HTTP 500, chosen deterministically from <see cref="Seed"/>.</summary>
    public double FaultRate { get; set; }

    /// <summary>Share of authorized requests delayed by <see cref="SlowDelay"/> before being answered.</summary>
    public double SlowRate { get; set; }

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Largest page of every paginated list; a bigger <c>count</c> is capped silently, as the live API may do. The
    /// default is below the connector's default page size (200), so a short page is not always the last one.
    /// </summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>Rows sharing a sort key come in a different order on every request (API-NOTES §3.7).</summary>
    public bool UnstableTieOrder { get; set; }

    /// <summary>
    /// Ids that are no usable integer, for testing clients: for each JSON literal here (<c>"abc"</c>, <c>1.5</c>,
    /// <c>1e30</c>, <c>null</c>, or an empty text to leave the id out) the first page of <c>/records</c> ends with a
    /// copy of its first record carrying that id.
    /// </summary>
    public IList<string> InjectedRecordIds { get; init; } = [];

    /// <summary>URLs every webhook is posted to, whatever <c>/hooks_settings</c> says.</summary>
    public IList<string> WebhookUrls { get; init; } = [];

    /// <summary>Records created, changed or deleted per minute while the server runs (0: none), for demos.</summary>
    public int ChangesPerMinute { get; set; }

    /// <summary>Webhook deliveries waiting at most; more are dropped and counted.</summary>
    public int WebhookQueueLimit { get; set; } = 10_000;

    /// <summary>Time one delivery attempt may take.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per delivery, the first included.</summary>
    public int WebhookAttempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; it doubles for each further one.</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Loopback port; 0 picks any free port.</summary>
    public int Port { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Require(Companies is >= 1 and <= 50, nameof(Companies), "must be between 1 and 50", Companies);
        Require(StaffPerCompany is >= 1 and <= 200, nameof(StaffPerCompany), "must be between 1 and 200", StaffPerCompany);
        Require(ClientsPerCompany is >= 1 and <= 100_000, nameof(ClientsPerCompany), "must be between 1 and 100000", ClientsPerCompany);
        Require(ServicesPerCompany is >= 1 and <= 500, nameof(ServicesPerCompany), "must be between 1 and 500", ServicesPerCompany);
        Require(DaysBack is >= 0 and <= 3660, nameof(DaysBack), "must be between 0 and 3660", DaysBack);
        Require(DaysForward is >= 0 and <= 366, nameof(DaysForward), "must be between 0 and 366", DaysForward);
        Require(RecordsPerStaffPerDay is >= 0 and <= 30 && !double.IsNaN(RecordsPerStaffPerDay), nameof(RecordsPerStaffPerDay), "must be between 0 and 30", RecordsPerStaffPerDay);
        Require(RecordsPerDay is null or (>= 0 and <= 100_000), nameof(RecordsPerDay), "must be between 0 and 100000", RecordsPerDay);
        Require(TimeProvider is not null, nameof(TimeProvider), "must not be null", null);
        Require(RequestsPerSecond >= 1, nameof(RequestsPerSecond), "must be at least 1", RequestsPerSecond);
        Require(RequestsPerMinute >= 1, nameof(RequestsPerMinute), "must be at least 1", RequestsPerMinute);
        Require(FaultRate is >= 0 and <= 1, nameof(FaultRate), "must be between 0 and 1", FaultRate);
        Require(SlowRate is >= 0 and <= 1, nameof(SlowRate), "must be between 0 and 1", SlowRate);
        Require(SlowDelay >= TimeSpan.Zero && SlowDelay <= TimeSpan.FromHours(1), nameof(SlowDelay), "must be between 0 and 1 hour", SlowDelay);
        Require(MaxPageSize is >= 1 and <= 100_000, nameof(MaxPageSize), "must be between 1 and 100000", MaxPageSize);
        Require(InjectedRecordIds is not null && InjectedRecordIds.All(IsJsonOrEmpty), nameof(InjectedRecordIds), "must hold JSON literals or empty texts", InjectedRecordIds is null ? null : string.Join(" ", InjectedRecordIds));
        Require(WebhookUrls is not null && WebhookUrls.All(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"), nameof(WebhookUrls), "must hold absolute http(s) URLs", WebhookUrls is null ? null : string.Join(" ", WebhookUrls));
        Require(ChangesPerMinute is >= 0 and <= 60_000, nameof(ChangesPerMinute), "must be between 0 and 60000", ChangesPerMinute);
        Require(WebhookQueueLimit is >= 1 and <= 1_000_000, nameof(WebhookQueueLimit), "must be between 1 and 1000000", WebhookQueueLimit);
        Require(WebhookTimeout > TimeSpan.Zero && WebhookTimeout <= TimeSpan.FromMinutes(5), nameof(WebhookTimeout), "must be more than 0 and at most 5 minutes", WebhookTimeout);
        Require(WebhookAttempts is >= 1 and <= 20, nameof(WebhookAttempts), "must be between 1 and 20", WebhookAttempts);
        Require(WebhookRetryDelay >= TimeSpan.Zero && WebhookRetryDelay <= TimeSpan.FromMinutes(1), nameof(WebhookRetryDelay), "must be between 0 and 1 minute", WebhookRetryDelay);
        Require(Port is >= 0 and <= 65535, nameof(Port), "must be between 0 and 65535 (0 picks a free port)", Port);
    }

    private static bool IsJsonOrEmpty(string? text)
    {
        if (text is null)
        {
            return false;
        }

        if (text.Length == 0)
        {
            return true;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static void Require(bool condition, string name, string rule, object? value)
    {
        if (!condition)
        {
            throw new ArgumentException($"Sandbox option {name} {rule} (got {value ?? "null"}).", name);
        }
    }
}
