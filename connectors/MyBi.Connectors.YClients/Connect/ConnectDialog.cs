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

        var labels = companies.Select(Label).ToList();
        var choice = await _prompt.ChooseAsync("company", "Which company (branch) should the pipeline load?", labels, cancellationToken).ConfigureAwait(false);
        if (choice < 0 || choice >= companies.Count)
        {
            throw MyBiException.System($"The connect prompt chose option {choice} of {companies.Count}.");
        }

        var company = companies[choice];
        var id = Lenient.Id(company["id"])!.Value;
        _prompt.Say($"Company {labels[choice]} selected.");
        var settings = new JsonObject();
        if (baseUrl is not null)
        {
            settings["base_url"] = options.BaseUrl.AbsoluteUri;
        }

        settings["company_id"] = id;
        return new ConnectResult
        {
            Config = settings,
            Secrets = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["partner_token"] = partnerToken,
                ["user_token"] = userToken,
            },
            Streams = StreamNames.All,
            SuggestedName = string.Create(CultureInfo.InvariantCulture, $"yclients-{id}"),
        };
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
