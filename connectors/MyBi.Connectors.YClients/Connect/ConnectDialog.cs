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
/// YCLIENTS asks for one) are exchanged for a user token, the user picks one of their companies, and a pipeline file
/// is rendered that references the tokens as <c>${YCLIENTS_PARTNER_TOKEN}</c> and <c>${YCLIENTS_USER_TOKEN}</c>.
/// The password is used for the login only: it is neither kept nor written anywhere.
/// </summary>
internal sealed class ConnectDialog
{
    public const string PartnerTokenVariable = "YCLIENTS_PARTNER_TOKEN";
    public const string UserTokenVariable = "YCLIENTS_USER_TOKEN";

    private readonly ConnectPrompt _prompt;
    private readonly string _directory;
    private readonly TimeSpan _retryDelay;

    public ConnectDialog(ConnectPrompt prompt, string directory, TimeSpan retryDelay)
    {
        _prompt = prompt;
        _directory = directory;
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
            config["base_url"] = baseUrl.AbsoluteUri;
        }

        var options = YClientsOptions.Parse(config);
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
        var name = string.Create(CultureInfo.InvariantCulture, $"yclients-{id}");
        var yaml = PipelineTemplate.Render(
            new PipelineTemplateModel
            {
                Name = name,
                CompanyIds = [id],
                BaseUrl = baseUrl?.AbsoluteUri,
                DuckDbPath = name + ".duckdb",
            },
            _directory);
        _prompt.Say($"Company {labels[choice]} selected.");
        return new ConnectResult
        {
            PipelineYaml = yaml,
            Secrets = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [PartnerTokenVariable] = partnerToken,
                [UserTokenVariable] = userToken,
            },
            SuggestedFileName = name + ".yaml",
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
    /// has none, keeps the public YCLIENTS API.
    /// </summary>
    private async Task<Uri?> BaseUrlAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = (await _prompt.AskAsync("base_url", $"YCLIENTS API address (empty for {YClientsOptions.DefaultBaseUrl})", secret: false, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config)
        {
            return null;
        }

        if (text.Length == 0)
        {
            return null;
        }

        if (!Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw MyBiException.Config($"The YCLIENTS API address '{text}' is not an http(s) URL such as {YClientsOptions.DefaultBaseUrl}.");
        }

        return string.Equals(url.AbsoluteUri.TrimEnd('/'), YClientsOptions.DefaultBaseUrl, StringComparison.OrdinalIgnoreCase) ? null : url;
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
