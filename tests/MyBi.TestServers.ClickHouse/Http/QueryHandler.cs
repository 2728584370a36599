using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MyBi.TestServers.ClickHouse.Chdb;

namespace MyBi.TestServers.ClickHouse.Http;

/// <summary>
/// Serves one request of the ClickHouse HTTP interface: the statement comes from the <c>query</c> URL parameter
/// and/or the body; an INSERT's data (after its FORMAT clause) streams into chDB's insert calls.
/// </summary>
internal sealed partial class QueryHandler
{
    private const int MaxStatementBytes = 64 << 20;
    private const int ChunkBytes = 4 << 20;

    private readonly ChdbEngine _engine;
    private readonly ServerIdentity _identity;
    private readonly ILogger<QueryHandler> _logger;

    public QueryHandler(ChdbEngine engine, ServerIdentity identity, ILogger<QueryHandler> logger)
    {
        _engine = engine;
        _identity = identity;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        RequestOptions? options = null;
        try
        {
            options = RequestOptions.From(context.Request);
            Authenticate(context.Request);
            if (options.NativeCompressedRequest || options.NativeCompressedResponse)
            {
                throw new ChdbException(1, "UNSUPPORTED_METHOD", "The compress/decompress parameters (native block compression) are not supported by this test server; use HTTP compression");
            }

            LogRequest(context.Request.Method, context.Request.QueryString.Value ?? "", context.Request.Headers.ContentEncoding.ToString(), context.Request.Headers.AcceptEncoding.ToString());
            await using var body = RequestBody.Open(context.Request);
            var text = new MemoryStream();
            var urlQuery = Encoding.UTF8.GetBytes(options.Query);
            var ended = await RequestBody.FillAsync(body, text, 1 << 16, cancellationToken).ConfigureAwait(false);
            if (urlQuery.Length > 0)
            {
                var prefix = text.ToArray();
                text.SetLength(0);
                text.Write(urlQuery);
                if (prefix.Length > 0)
                {
                    text.WriteByte((byte)'\n');
                    text.Write(prefix);
                }
            }

            while (true)
            {
                var split = SqlScanner.FindInsertData(text.GetBuffer().AsSpan(0, (int)text.Length), out var complete);
                if (!complete && !ended)
                {
                    ended = await RequestBody.FillAsync(body, text, 1 << 16, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (split is { } insert)
                {
                    await InsertAsync(context, options, text, insert, ended ? null : body, cancellationToken).ConfigureAwait(false);
                    return;
                }

                break;
            }

            while (!ended)
            {
                if (text.Length > MaxStatementBytes)
                {
                    throw new ChdbException(62, "SYNTAX_ERROR", "The query is too large for this test server");
                }

                ended = await RequestBody.FillAsync(body, text, ChunkBytes, cancellationToken).ConfigureAwait(false);
            }

            await QueryAsync(context, options, text.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (ChdbException ex)
        {
            await WriteErrorAsync(context, options, ex).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client went away (or sent a broken body): nothing can be answered.
            LogClientGone(ex.GetType().Name, ex.Message);
            context.Abort();
        }
    }

    private void Authenticate(HttpRequest request)
    {
        if (_identity.Password is null)
        {
            return;
        }

        var password = request.Query["password"].ToString();
        if (request.Headers.TryGetValue("X-ClickHouse-Key", out var key))
        {
            password = key.ToString();
        }
        else if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is not null)
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            password = decoded[(decoded.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }

        if (!string.Equals(password, _identity.Password, StringComparison.Ordinal))
        {
            throw new ChdbException(516, "AUTHENTICATION_FAILED", "default: Authentication failed: password is incorrect, or there is no user with such name");
        }
    }

    private async Task InsertAsync(HttpContext context, RequestOptions options, MemoryStream text, SqlScanner.InsertSplit split, Stream? rest, CancellationToken cancellationToken)
    {
        var statement = text.GetBuffer().AsMemory(0, (int)text.Length);
        QueryStatistics statistics;
        using (await _engine.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            using var session = _engine.Open(options.Settings);
            if (options.Database is not null)
            {
                session.Use(options.Database);
            }

            using var insert = session.BeginInsert(statement.Span[..split.QueryLength], split.Format, options.Parameters);
            if (split.DataStart < statement.Length)
            {
                insert.Append(statement.Span[split.DataStart..]);
            }

            if (rest is not null)
            {
                var chunk = new byte[ChunkBytes];
                while (true)
                {
                    var filled = 0;
                    while (filled < chunk.Length)
                    {
                        var n = await rest.ReadAsync(chunk.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            break;
                        }

                        filled += n;
                    }

                    if (filled == 0)
                    {
                        break;
                    }

                    insert.Append(chunk.AsSpan(0, filled));
                }
            }

            statistics = insert.Complete();
        }

        ResponseHeaders.Write(context.Response, _identity, options, null, statistics, 0, 0);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    private async Task QueryAsync(HttpContext context, RequestOptions options, byte[] statement, CancellationToken cancellationToken)
    {
        var format = SqlScanner.FindOutputFormat(statement) ?? options.DefaultFormat ?? "TabSeparated";
        using (await _engine.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            using var session = _engine.Open(options.Settings);
            var (statements, readOnly) = session.Classify(statement);
            if (statements > 1)
            {
                throw new ChdbException(62, "SYNTAX_ERROR", "Syntax error: Multi-statements are not allowed");
            }

            if (options.Database is not null)
            {
                session.Use(options.Database);
            }

            var query = readOnly && StreamableFormats.CanStream(format) ? TryStreamQuery(session, statement, format, options) : null;
            if (query is null)
            {
                // Answered in one piece: statements chDB does not stream (DDL, SHOW…) and formats with a prefix/suffix.
                using var result = session.Query(statement, format, options.Parameters);
                ResponseHeaders.Write(context.Response, _identity, options, format, result.Statistics, result.Statistics.ReadRows, (ulong)result.Length);
                context.Response.StatusCode = StatusCodes.Status200OK;
                await using var whole = OpenResponse(context, options);
                await WriteAsync(whole, result, 0, cancellationToken).ConfigureAwait(false);
                return;
            }

            using var streaming = query;
            var chunk = query.Fetch();
            ResponseHeaders.Write(context.Response, _identity, options, format, query.Statistics, query.Statistics.ReadRows, (ulong)(chunk?.Length ?? 0));
            context.Response.StatusCode = StatusCodes.Status200OK;
            await using var output = OpenResponse(context, options);
            var first = true;
            while (chunk is not null)
            {
                using (chunk)
                {
                    var skip = first ? 0 : StreamableFormats.HeaderLength(format, chunk.Data);
                    first = false;
                    await WriteAsync(output, chunk, skip, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    chunk = query.Fetch();
                }
                catch (ChdbException ex)
                {
                    // The status line is gone already; a real server appends the exception text, we cut the stream.
                    LogMidStreamError(ex.Message);
                    context.Abort();
                    return;
                }
            }
        }
    }

    private static ChdbStreamingQuery? TryStreamQuery(ChdbSession session, byte[] statement, string format, RequestOptions options)
    {
        try
        {
            return session.StreamQuery(statement, format, options.Parameters);
        }
        catch (ChdbException ex) when (ex.Code == 36 && ex.Message.Contains("Streaming query is not supported", StringComparison.Ordinal))
        {
            return null;
        }
    }

    private static async Task WriteAsync(Stream output, ChdbResult result, int skip, CancellationToken cancellationToken)
    {
        // The native buffer cannot cross an await; copy it out in pieces.
        var total = result.Length;
        var buffer = new byte[Math.Max(1, Math.Min(total - skip, ChunkBytes))];
        for (var offset = skip; offset < total; offset += buffer.Length)
        {
            var length = Math.Min(buffer.Length, total - offset);
            result.Data.Slice(offset, length).CopyTo(buffer);
            await output.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
    }

    private static Stream OpenResponse(HttpContext context, RequestOptions options)
    {
        var response = context.Response;
        if (!options.CompressResponse)
        {
            return new NonClosingStream(response.Body);
        }

        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        if (accepted.Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            response.Headers.ContentEncoding = "gzip";
            return new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        }

        if (accepted.Contains("br", StringComparison.OrdinalIgnoreCase))
        {
            response.Headers.ContentEncoding = "br";
            return new BrotliStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        }

        if (accepted.Contains("deflate", StringComparison.OrdinalIgnoreCase))
        {
            response.Headers.ContentEncoding = "deflate";
            return new ZLibStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        }

        return new NonClosingStream(response.Body);
    }

    private async Task WriteErrorAsync(HttpContext context, RequestOptions? options, ChdbException error)
    {
        LogQueryError(error.Code, error.Message);
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        var response = context.Response;
        response.Clear();
        response.StatusCode = error.Code switch
        {
            516 => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status500InternalServerError,
        };
        response.Headers["X-ClickHouse-Exception-Code"] = error.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-ClickHouse-Server-Display-Name"] = _identity.DisplayName;
        if (options is not null)
        {
            response.Headers["X-ClickHouse-Query-Id"] = options.QueryId;
        }

        response.ContentType = "text/plain; charset=UTF-8";
        var message = error.Message.TrimEnd('\n');
        if (!message.Contains("(version ", StringComparison.Ordinal))
        {
            message += $" (version {_identity.Version} (official build))";
        }

        try
        {
            await response.WriteAsync(message + "\n", context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            context.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Query} (Content-Encoding: {Encoding}; Accept-Encoding: {Accepted})")]
    private partial void LogRequest(string method, string query, string encoding, string accepted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Query failed with code {Code}: {Message}")]
    private partial void LogQueryError(int code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Query failed after the response started: {Message}")]
    private partial void LogMidStreamError(string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request abandoned by the client ({Type}): {Message}")]
    private partial void LogClientGone(string type, string message);
}
