using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Cli.Output;
using MyBi.Engine.State;
using MyBi.Hosting;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi journal PIPELINE [--kind K] [--since 7d] [--json]</c>: the pipeline's event journal.</summary>
internal static class JournalCommand
{
    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var kind = new Option<string?>("--kind") { Description = $"Only entries of one kind: {string.Join(", ", JournalKinds.All)}." };
        kind.AcceptOnlyFromAmong([.. JournalKinds.All]);
        var since = new Option<TimeSpan?>("--since")
        {
            Description = "Only entries of the last N days or hours: 7d, 12h (default: all).",
            CustomParser = result => ParseSince(result.Tokens.Count > 0 ? result.Tokens[0].Value : "", result.AddError),
        };
        var json = CommonOptions.Json();
        var command = new Command("journal", "Show what the pipeline's stages did: runs, warnings, errors, reconciliation findings.") { pipeline, kind, since, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            async redact =>
            {
                var (loaded, redactor) = CliPipeline.Load(parse.GetValue(pipeline)!, redact);
                await using var destination = loaded.CreateDestination();
                await destination.CheckAsync(ct).ConfigureAwait(false);
                var from = parse.GetValue(since) is { } span ? EngineClock.Current.GetUtcNow() - span : (DateTimeOffset?)null;
                var entries = await new RunStore(destination).LoadJournalAsync(loaded.Definition.Name, parse.GetValue(kind), from, ct).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    var array = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
                    {
                        ["time"] = e.Time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                        ["pipeline"] = e.Pipeline,
                        ["job"] = e.Job,
                        ["run_id"] = e.RunId,
                        ["kind"] = e.Kind,
                        ["level"] = JournalEntry.LevelText(e.Level),
                        ["message"] = redactor.Apply(e.Message),
                        ["details"] = e.Details is null ? null : JsonNode.Parse(redactor.Apply(e.Details.ToJsonString())),
                    })]);
                    Console.Out.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                    return ExitCodes.Success;
                }

                TableFormatter.WriteTable(
                    Console.Out,
                    ["time", "job", "kind", "level", "message"],
                    entries.Select(e => new object?[] { e.Time, e.Job, e.Kind, JournalEntry.LevelText(e.Level), redactor.Line(e.Message) }).ToList());
                return ExitCodes.Success;
            },
            ct));
        return command;
    }

    /// <summary>7d or 12h as a span; anything else is an error naming the forms.</summary>
    internal static TimeSpan? ParseSince(string text, Action<string> error)
    {
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (text[^1])
            {
                case 'd':
                    return TimeSpan.FromDays(n);
                case 'h':
                    return TimeSpan.FromHours(n);
            }
        }

        error($"--since takes a number of days or hours, such as 7d or 12h, not '{text}'.");
        return null;
    }
}
