using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Connectors.YClients.Configuration;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// The session's HTTP client for the YCLIENTS API: headers, the shared rate limit, retries of passing faults,
/// the envelope check and the translation of failures into one-line <see cref="MyBiException"/>s.
/// </summary>
internal sealed class YClientsHttpClient : IDisposable
{
    private static readonly TimeSpan s_maxRetryAfter = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly YClientsOptions _options;
    private readonly SourceObserver _observer;
    private readonly TimeProvider _delays;
    private readonly ResiliencePipeline<AttemptResult> _pipeline;
    private readonly ConcurrentQueue<(string Stream, string Message)> _warnings = new();
    private string? _userToken;
    private bool _reauthenticated;

    /// <param name="options">Validated settings.</param>
    /// <param name="observer">Receives one <see cref="SourceObserver.OnRequest"/> per attempt.</param>
    /// <param name="handler">The HTTP handler; a pooled <see cref="SocketsHttpHandler"/> when null.</param>
    /// <param name="retryDelay">Base delay of the exponential backoff.</param>
    /// <param name="delays">
    /// Clock for backoff and Retry-After waits. It is real time by default even when the engine passes a fake
    /// calendar clock: the rate limit and the server live in real time.
    /// </param>
    /// <param name="budgets">The host's request budgets, shared across pipelines; null to keep this plugin load's own.</param>
    public YClientsHttpClient(
        YClientsOptions options,
        SourceObserver observer,
        HttpMessageHandler? handler = null,
        TimeSpan? retryDelay = null,
        TimeProvider? delays = null,
        RateBudgets? budgets = null)
    {
        _options = options;
        _observer = observer;
        _delays = delays ?? TimeProvider.System;
        _userToken = options.UserToken;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.Timeout,
            AutomaticDecompression = DecompressionMethods.All,
            // A redirect would re-send the credentials (POST /auth carries the password) to wherever it points, and
            // a GET would load another host's data as YCLIENTS data: a 3xx is refused instead.
            AllowAutoRedirect = false,
        })
        {
            BaseAddress = new Uri(options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(AuthorizationHeader.AcceptV2));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("MyBi-Engine", "0.1"));
        _pipeline = BuildPipeline(
            options,
            RateLimiterRegistry.For(options.BaseUrl, options.RequestsPerSecond, options.RequestsPerMinute, budgets),
            retryDelay ?? TimeSpan.FromSeconds(1),
            _delays);
    }

    /// <summary>Who hears about requests and the pages the answers announce.</summary>
    public SourceObserver Observer => _observer;

    /// <summary>Exchanges login and password for a user token, unless a user token was configured.</summary>
    public async Task AuthenticateAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Login is null || _options.Password is null)
        {
            return;
        }

        var outcome = await LogInAsync(_options.Login, _options.Password, null, fromConfig: true, cancellationToken).ConfigureAwait(false);
        if (outcome.Challenge is not null)
        {
            throw new MyBiException(FailureKind.Config,
                $"YCLIENTS asks for a two-factor code for {_options.Login}: use a user_token (from the 'API access' integration) instead of login and password.");
        }
    }

    /// <summary>
    /// One <c>POST /auth</c>. A user token is kept for the following requests and returned; a two-factor challenge is
    /// returned for the caller to answer (again through this method, with the code). Refusals throw a Config error
    /// that names the login but never the password.
    /// </summary>
    /// <param name="login">Phone (11 digits) or e-mail.</param>
    /// <param name="password">The password; sent only in the request body.</param>
    /// <param name="twoFactor">The answer to a challenge of a previous call, or null.</param>
    /// <param name="fromConfig">Whether the credentials come from source.config (the messages say where to fix them).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<LoginOutcome> LogInAsync(string login, string password, TwoFactorAnswer? twoFactor, bool fromConfig, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["login"] = login, ["password"] = password };
        if (twoFactor is not null)
        {
            body["2fa"] = new JsonObject { ["uuid"] = twoFactor.Uuid, ["secret"] = twoFactor.Code };
        }

        var request = new ApiRequest
        {
            Stream = "auth",
            Path = "/auth",
            Method = HttpMethod.Post,
            Purpose = "log in",
            IsList = false,
            IsAuth = true,
            Body = body,
        };
        var result = await ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccessStatus && result.Envelope is { Success: true, Data: JsonObject data })
        {
            if (Parsing.Lenient.Text(data["user_token"]) is { Length: > 0 } token)
            {
                _userToken = token;
                return new LoginOutcome(token, null);
            }

            if (Parsing.Lenient.Text(data["uuid"]) is { Length: > 0 } uuid)
            {
                var recipient = Parsing.Lenient.Text((data["transport"] as JsonObject)?["recipient"]);
                return new LoginOutcome(null, new TwoFactorChallenge(uuid, recipient));
            }
        }

        if (result.IsSuccessStatus && !result.IsJson)
        {
            throw NotJson(request, result);
        }

        if (result.Status == 401 && result.Message.Contains("партн", StringComparison.OrdinalIgnoreCase))
        {
            var fix = fromConfig ? "check partner_token in source.config" : "check the partner token";
            throw new MyBiException(FailureKind.Config, $"YCLIENTS did not accept the partner token (401 {result.Message}): {fix}.");
        }

        if (result.Status is 401 or 403 or 400 or 404 or 422 || (result.IsSuccessStatus && result.Envelope is { Success: false }))
        {
            if (twoFactor is not null)
            {
                throw new MyBiException(FailureKind.Config,
                    $"YCLIENTS refused the two-factor code for {login} ({result.Status} {result.Message}): log in again and enter the latest code.");
            }

            var fix = fromConfig ? "check login and password in source.config" : "check the login and the password";
            throw new MyBiException(FailureKind.Config, $"YCLIENTS refused the login or password for {login} ({result.Status} {result.Message}): {fix}.");
        }

        throw ApiErrors.Unexpected(request, result);
    }

    /// <summary>
    /// Sends a request and returns its envelope. A "not found" answer gives an empty list for list requests and
    /// null for single objects; every other failure throws a <see cref="MyBiException"/>.
    /// </summary>
    public async Task<ApiEnvelope?> SendAsync(ApiRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Status == 401 && !_reauthenticated && _options.Login is not null)
        {
            // A user token changes when the user changes the password; log in again once.
            _reauthenticated = true;
            await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
            result = await ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (result.IsSuccessStatus && result.Envelope is { Success: true } envelope)
        {
            return envelope;
        }

        if (result.IsSuccessStatus && !result.IsJson)
        {
            throw NotJson(request, result);
        }

        var kind = result.Status switch
        {
            404 => ErrorText.Classify(result.Message) == ErrorTextKind.CompanyNotFound ? ErrorTextKind.CompanyNotFound : ErrorTextKind.NotFound,
            403 => ErrorTextKind.NoRights,
            _ when result.IsSuccessStatus => ErrorText.Classify(result.Envelope?.Message),
            _ => ErrorTextKind.Other,
        };

        switch (kind)
        {
            case ErrorTextKind.CompanyNotFound when request.CompanyId is { } missing:
                throw ApiErrors.CompanyNotFound(request, missing, result);
            case ErrorTextKind.NotFound or ErrorTextKind.CompanyNotFound:
                return request.IsList ? ApiEnvelope.Empty() : null;
            case ErrorTextKind.NoRights:
                throw ApiErrors.NoRights(request, result);
        }

        if (result.Status == 401)
        {
            var fix = _options.Login is null
                ? "check partner_token and user_token in source.config"
                : $"check partner_token, and that {_options.Login} may use the API";
            throw new MyBiException(FailureKind.Config,
                $"YCLIENTS did not accept the partner token or the user token (401 {result.Message}) when trying to {request.Purpose}: {fix}.")
            {
                Stream = request.Stream,
            };
        }

        if (result.Status == 402)
        {
            throw ApiErrors.NoRights(request, result);
        }

        if (result.IsRetryable)
        {
            throw new MyBiException(FailureKind.Transient,
                $"YCLIENTS at {_options.Endpoint} kept failing to {request.Purpose} ({result.Status} {result.Message}) after {_options.MaxRetries} retries; try again later.")
            {
                Stream = request.Stream,
            };
        }

        throw ApiErrors.Unexpected(request, result);
    }

    /// <summary>Warnings gathered since the last call (text values cut to <c>max_text_length</c>), oldest first.</summary>
    public IReadOnlyList<(string Stream, string Message)> TakeWarnings()
    {
        if (_warnings.IsEmpty)
        {
            return [];
        }

        var taken = new List<(string, string)>();
        while (_warnings.TryDequeue(out var warning))
        {
            taken.Add(warning);
        }

        return taken;
    }

    public void Dispose() => _http.Dispose();

    private async Task<AttemptResult> ExecuteAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static (state, ct) => state.Client.AttemptAsync(state.Request, ct),
                (Client: this, Request: request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(request, ApiErrors.Reason(ex), ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Unreachable(request, $"no answer within {_options.Timeout.TotalSeconds:0} s", ex);
        }
        catch (IOException ex)
        {
            throw Unreachable(request, "the connection dropped while reading the answer", ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new MyBiException(FailureKind.System, "The YCLIENTS request budget refused a request; the limiter is misconfigured.", ex) { Stream = request.Stream };
        }
    }

    private async ValueTask<AttemptResult> AttemptAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        _observer.OnRequest(request.Stream);
        using var message = new HttpRequestMessage(request.Method, request.RelativeUri());
        // The user token is not sent to /auth: logging in must not depend on a stale one.
        message.Headers.TryAddWithoutValidation(
            "Authorization",
            AuthorizationHeader.Format(_options.PartnerToken, request.IsAuth ? null : _userToken));
        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        ApiMetrics.Answered(_http.BaseAddress?.Authority, status);
        if (status is >= 300 and < 400)
        {
            throw Redirected(request, status, response.Headers.Location);
        }

        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (response.Content.Headers.ContentLength is { } announced && announced > _options.MaxResponseBytes)
        {
            throw TooLarge(request);
        }

        JsonNode? root;
        var isJson = true;
        var cut = 0;
        try
        {
            // Parsed from the (decompressed) stream through the cap, never copied into a string: an answer past the
            // cap stops being read as soon as it passes it, and the parsed bytes are let go once the tree is built.
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var capped = new CappedStream(stream, _options.MaxResponseBytes);
            (root, cut) = await AnswerTree.ReadAsync(capped, response.Content.Headers.ContentLength, _options.MaxTextLength, cancellationToken).ConfigureAwait(false);
        }
        catch (AnswerTooLargeException)
        {
            throw TooLarge(request);
        }
        catch (JsonException)
        {
            root = null;
            isJson = false;
        }

        if (cut > 0)
        {
            _warnings.Enqueue((request.Stream, string.Create(CultureInfo.InvariantCulture,
                $"{cut} text value(s) in the YCLIENTS answer to {request.Purpose} ({request.Method} {request.Path}) were longer than max_text_length ({_options.MaxTextLength} characters) and were cut to that length.")));
        }

        return new AttemptResult
        {
            Status = status,
            Envelope = ApiEnvelope.TryRead(root, out var envelope) ? envelope : null,
            IsJson = isJson,
            ContentType = contentType,
            RetryAfter = RetryAfter(response),
            IsAuth = request.IsAuth,
        };
    }

    private MyBiException Redirected(ApiRequest request, int status, Uri? location)
    {
        var target = location is null ? "nowhere"
            : location.IsAbsoluteUri ? (location.IsDefaultPort ? location.Host : $"{location.Host}:{location.Port}")
            : _options.Endpoint;
        return new MyBiException(FailureKind.Config,
            $"YCLIENTS at {_options.Endpoint} answered the request to {request.Purpose} ({request.Method} {request.Path}) with a redirect ({status}) to {target}; API calls do not follow redirects: check base_url in source.config.")
        {
            Stream = request.Stream,
        };
    }

    private MyBiException TooLarge(ApiRequest request) =>
        new(FailureKind.System,
            $"The YCLIENTS answer to {request.Purpose} ({request.Method} {request.Path}) is larger than max_response_mb ({_options.MaxResponseBytes / (1024 * 1024)} MB, counted after decompression); the read stops instead of exhausting memory: lower page_size or raise max_response_mb in source.config.")
        {
            Stream = request.Stream,
        };

    private MyBiException NotJson(ApiRequest request, AttemptResult result) =>
        new(FailureKind.System,
            $"YCLIENTS at {_options.Endpoint} answered the request to {request.Purpose} ({request.Method} {request.Path}) with HTTP {result.Status} that is not JSON (content type {result.ContentType ?? "none"}); check base_url in source.config.")
        {
            Stream = request.Stream,
        };

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _delays.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static ResiliencePipeline<AttemptResult> BuildPipeline(YClientsOptions options, System.Threading.RateLimiting.RateLimiter limiter, TimeSpan retryDelay, TimeProvider delays)
    {
        var builder = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = delays };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptResult>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retryDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = new PredicateBuilder<AttemptResult>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<IOException>()
                    .HandleResult(static r => r.IsRetryable),
                DelayGenerator = static args => ValueTask.FromResult(
                    args.Outcome.Result?.RetryAfter is { } wait ? (TimeSpan?)Clamp(wait) : null),
            });
        }

        // Inside the retry: every attempt takes a permit of the shared budget, and the per-attempt timeout does
        // not count the time spent waiting for one.
        builder.AddRateLimiter(limiter);
        builder.AddTimeout(options.Timeout);
        return builder.Build();
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > s_maxRetryAfter ? s_maxRetryAfter : wait;

    private MyBiException Unreachable(ApiRequest request, string reason, Exception inner) =>
        new MyBiException(FailureKind.Transient, $"cannot reach YCLIENTS at {_options.Endpoint}: {reason}.", inner) { Stream = request.Stream };
}
