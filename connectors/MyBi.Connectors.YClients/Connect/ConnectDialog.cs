using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Configuration;
using MyBi.Connectors.YClients.Http;
using MyBi.Connectors.YClients.Parsing;
using MyBi.Connectors.YClients.Reading;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Connect;

/// <summary>
/// The connect dialog of <c>mybi connect yclients</c>: partner token, login and password (and a two-factor code when
/// YCLIENTS asks for one) are exchanged for a user token, and the user picks one of their companies. The result is
/// the settings of <c>source.config</c> with the two tokens marked secret; the host writes the pipeline file. The
/// password is used for the login only: it is neither kept nor returned.
/// </summary>
internal sealed class ConnectDialog
{
    private readonly ConnectPrompt _prompt;
    private readonly ConfigSchema _schema;
    private readonly TimeSpan _retryDelay;

    public ConnectDialog(ConnectPrompt prompt, ConfigSchema schema, TimeSpan retryDelay)
    {
        _prompt = prompt;
        _schema = schema;
        _retryDelay = retryDelay;
    }

    public async ValueTask<ConnectResult> RunAsync(CancellationToken cancellationToken)
    {
        var baseUrl = await BaseUrlAsync(cancellationToken).ConfigureAwait(false);
        var partnerToken = await RequiredAsync("partner_token", "YCLIENTS partner token (from the developer cabinet)", secret: true, cancellationToken).ConfigureAwait(false);
        var login = await RequiredAsync("login", "YCLIENTS login (phone like 79161234567, or e-mail)", secret: false, cancellationToken).ConfigureAwait(false);
        var password = await RequiredAsync("password", $"Password of {login}", secret: true, cancellationToken).ConfigureAwait(false);

        var config = new JsonObject
        {
            ["partner_token"] = partnerToken,
            ["login"] = login,
            ["password"] = password,
            ["max_retries"] = 2,
        };
        if (baseUrl is not null)
        {
            config["base_url"] = baseUrl;
        }

        var options = YClientsOptions.Parse(config, _schema);
        using var http = new YClientsHttpClient(options, SourceObserver.None, retryDelay: _retryDelay);
        var userToken = await LogInAsync(http, login, password, cancellationToken).ConfigureAwait(false);
        _prompt.Say($"Logged in to YCLIENTS as {login}.");

        var companies = await CompaniesAsync(http, cancellationToken).ConfigureAwait(false);
        if (companies.Count == 0)
        {
            throw MyBiException.Config($"The YCLIENTS user {login} manages no company: ask the company's owner for access, then connect again.");
        }

        var chosen = await ChooseCompaniesAsync(companies, cancellationToken).ConfigureAwait(false);
        var days = await HistoryDaysAsync(cancellationToken).ConfigureAwait(false);
        var streams = await PermittedStreamsAsync(http, chosen, cancellationToken).ConfigureAwait(false);
        var settings = new JsonObject();
        if (baseUrl is not null)
        {
            settings["base_url"] = options.BaseUrl.AbsoluteUri;
        }

        if (chosen.Count == 1)
        {
            settings["company_id"] = chosen[0];
        }
        else
        {
            settings["company_ids"] = new JsonArray(chosen.Select(id => (JsonNode?)id).ToArray());
        }

        settings["first_run_days"] = days;
        return new ConnectResult
        {
            Config = settings,
            Secrets = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["partner_token"] = partnerToken,
                ["user_token"] = userToken,
            },
            Streams = streams,
            SuggestedName = chosen.Count == 1
                ? string.Create(CultureInfo.InvariantCulture, $"yclients-{chosen[0]}")
                : string.Create(CultureInfo.InvariantCulture, $"yclients-{chosen[0]}-{chosen.Count}"),
        };
    }

    /// <summary>
    /// One company, or several branches loaded into the same tables: the answer lists numbers of the list or company
    /// ids, separated by commas, or says <c>all</c>. A single company needs no question.
    /// </summary>
    private async Task<IReadOnlyList<long>> ChooseCompaniesAsync(IReadOnlyList<JsonObject> companies, CancellationToken cancellationToken)
    {
        var ids = companies.Select(c => Lenient.Id(c["id"])!.Value).ToList();
        var labels = companies.Select(Label).ToList();
        if (companies.Count == 1)
        {
            _prompt.Say($"Company {labels[0]} selected (the only one).");
            return ids;
        }

        var lines = labels.Select((label, i) => string.Create(CultureInfo.InvariantCulture, $"  {i + 1}. {label}"));
        _prompt.Say("Companies (branches) you manage:\n" + string.Join('\n', lines));
        string answer;
        try
        {
            answer = await _prompt.AskAsync("company", "Which to load? Numbers or ids, comma-separated, or 'all'", secret: false, cancellationToken).ConfigureAwait(false);
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config)
        {
            throw MyBiException.Config($"{ex.Message.TrimEnd('.')}: choose one or more of: {string.Join("; ", labels)} (or 'all').");
        }

        var chosen = ParseCompanies(answer, ids)
            ?? throw MyBiException.Config($"'{answer.Trim()}' does not name companies: give numbers 1-{ids.Count} or ids of {string.Join("; ", labels)}, comma-separated, or 'all'.");
        _prompt.Say($"Selected: {string.Join("; ", chosen.Select(id => labels[ids.IndexOf(id)]))}.");
        return chosen;
    }

    internal static IReadOnlyList<long>? ParseCompanies(string answer, IReadOnlyList<long> ids)
    {
        var text = answer.Trim();
        if (string.Equals(text, "all", StringComparison.OrdinalIgnoreCase))
        {
            return ids;
        }

        var chosen = new List<long>();
        foreach (var part in text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            // An id wins over a list number: ids are large, list numbers small, and both are accepted.
            var id = ids.Contains(value) ? value : value >= 1 && value <= ids.Count ? ids[(int)value - 1] : (long?)null;
            if (id is null)
            {
                return null;
            }

            if (!chosen.Contains(id.Value))
            {
                chosen.Add(id.Value);
            }
        }

        return chosen.Count == 0 ? null : chosen;
    }

    /// <summary>How many last days the first load reads (<c>first_run_days</c>); the schema's range bounds it.</summary>
    private async Task<int> HistoryDaysAsync(CancellationToken cancellationToken)
    {
        const int Default = 30;
        const int Most = 3650;
        string answer;
        try
        {
            answer = (await _prompt.AskAsync("history_days", $"How many last days of history should the first load read? (empty for {Default})", secret: false, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config)
        {
            return Default;
        }

        if (answer.Length == 0)
        {
            return Default;
        }

        return int.TryParse(answer, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= Most
            ? days
            : throw MyBiException.Config($"History of '{answer}' days: give a whole number of days from 1 to {Most}.");
    }

    /// <summary>
    /// The streams this user may read: one cheap request (one row) per kind of right, in each chosen company. A stream
    /// is kept when at least one company allows it; the others would only fail every run with 403.
    /// </summary>
    private async Task<IReadOnlyList<string>> PermittedStreamsAsync(YClientsHttpClient http, IReadOnlyList<long> companies, CancellationToken cancellationToken)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "companies" };
        foreach (var probe in RightProbes.All)
        {
            foreach (var company in companies)
            {
                if (await RightProbes.AllowsAsync(http, probe, company, cancellationToken).ConfigureAwait(false))
                {
                    allowed.UnionWith(probe.Streams);
                    break;
                }
            }
        }

        // Documents are read through the records and transactions that name them, and their items need the storage right.
        if (allowed.Contains(StreamNames.Records) && allowed.Contains(StreamNames.FinanceTransactions) && allowed.Contains(StreamNames.Storages))
        {
            allowed.Add(StreamNames.Documents);
        }

        var denied = StreamNames.All.Where(s => !allowed.Contains(s)).ToList();
        if (denied.Count > 0)
        {
            _prompt.Say($"No right to read {string.Join(", ", denied)}: left out of the pipeline (grant the rights in YCLIENTS and connect again to add them).");
        }

        return StreamNames.All.Where(allowed.Contains).ToList();
    }

    private async Task<string> LogInAsync(YClientsHttpClient http, string login, string password, CancellationToken cancellationToken)
    {
        var outcome = await http.LogInAsync(login, password, null, fromConfig: false, cancellationToken).ConfigureAwait(false);
        if (outcome.Challenge is { } challenge)
        {
            var where = challenge.Recipient is { Length: > 0 } recipient ? $" sent to {recipient}" : "";
            var code = await RequiredAsync("code", $"Two-factor code{where}", secret: false, cancellationToken).ConfigureAwait(false);
            outcome = await http.LogInAsync(login, password, new TwoFactorAnswer(challenge.Uuid, code), fromConfig: false, cancellationToken).ConfigureAwait(false);
        }

        return outcome.UserToken
            ?? throw MyBiException.Config($"YCLIENTS asked {login} for another two-factor code after the first one was accepted: log in again later.");
    }

    private static async Task<IReadOnlyList<JsonObject>> CompaniesAsync(YClientsHttpClient http, CancellationToken cancellationToken)
    {
        var request = new ApiRequest { Stream = StreamNames.Companies, Path = "/companies", Purpose = "list the user's companies" }.With("my", 1);
        var companies = new List<JsonObject>();
        var seen = new HashSet<long>();
        await foreach (var page in Paginator.PagesAsync(http, request, 200, cancellationToken).ConfigureAwait(false))
        {
            companies.AddRange(page.Where(c => Lenient.Id(c["id"]) is { } id && seen.Add(id)));
        }

        return companies;
    }

    /// <summary>"100001 Title (City)": the id comes first, so an answer given in advance may name the company by id.</summary>
    private static string Label(JsonObject company)
    {
        var id = Lenient.Id(company["id"])!.Value.ToString(CultureInfo.InvariantCulture);
        var title = Lenient.Text(company["title"]) is { Length: > 0 } t ? t : "(no name)";
        var city = Lenient.Text(company["city"]) is { Length: > 0 } c ? $" ({c})" : "";
        return $"{id} {title}{city}";
    }

    /// <summary>
    /// The API address is asked only to reach another server (a test emulator): an empty answer, or a prompt that
    /// has none, keeps the public YCLIENTS API. Its form is checked by the config schema, with the other settings.
    /// </summary>
    private async Task<string?> BaseUrlAsync(CancellationToken cancellationToken)
    {
        var fallback = _schema.DefaultOf("base_url");
        string text;
        try
        {
            text = (await _prompt.AskAsync("base_url", $"YCLIENTS API address (empty for {fallback})", secret: false, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config)
        {
            return null;
        }

        if (text.Length == 0 || string.Equals(text.TrimEnd('/'), fallback, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return text;
    }

    private async Task<string> RequiredAsync(string key, string question, bool secret, CancellationToken cancellationToken)
    {
        var answer = await _prompt.AskAsync(key, question, secret, cancellationToken).ConfigureAwait(false);
        // Passwords may legitimately begin or end with spaces; everything else is trimmed.
        var value = secret && key == "password" ? answer : answer?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw MyBiException.Config($"No {key.Replace('_', ' ')} was given; it is needed to connect to YCLIENTS.");
        }

        return value;
    }
}
