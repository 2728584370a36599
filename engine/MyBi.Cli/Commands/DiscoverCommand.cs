using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Cli.Output;
using MyBi.Hosting;
using MyBi.Engine.Schema;

namespace MyBi.Cli.Commands;

/// <summary><c>mybi discover PIPELINE</c>: the connector's streams, keys, cursors and columns.</summary>
internal static class DiscoverCommand
{
    public static Command Create()
    {
        var pipeline = CommonOptions.Pipeline();
        var json = CommonOptions.Json();
        var command = new Command("discover", "List the streams the pipeline's connector offers, with their columns.") { pipeline, json };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(
            redact =>
            {
                var (loaded, _) = CliPipeline.Load(parse.GetValue(pipeline)!, redact, credentials: SourceCredentials.NotNeeded);
                var connector = loaded.Connector;
                if (parse.GetValue(json))
                {
                    var array = new JsonArray();
                    foreach (var s in connector.Streams)
                    {
                        array.Add(new JsonObject
                        {
                            ["name"] = s.Name,
                            ["primary_key"] = new JsonArray(s.PrimaryKey.Select(k => (JsonNode?)k).ToArray()),
                            ["cursor_field"] = s.CursorField,
                            ["parent"] = s.Parent,
                            ["description"] = s.Description,
                            ["schema"] = JsonNode.Parse(s.JsonSchema),
                        });
                    }

                    Console.Out.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                    return Task.FromResult(ExitCodes.Success);
                }

                foreach (var s in connector.Streams)
                {
                    var compiled = StreamSchemaCompiler.Compile(s);
                    var selected = loaded.SelectedStreams.Count == 0 || loaded.SelectedStreams.Contains(s.Name) ? "selected" : "not selected";
                    Console.Out.WriteLine($"{s.Name}  key: {string.Join(", ", s.PrimaryKey)}  cursor: {s.CursorField ?? "-"}  ({selected})");
                    if (compiled.Table.Description is not null)
                    {
                        Console.Out.WriteLine($"  {compiled.Table.Description}");
                    }

                    TableFormatter.WriteTable(
                        Console.Out,
                        ["column", "type", "description"],
                        compiled.Table.Columns.Select(c => new object?[] { c.Name, c.Type.ToString(), c.Description ?? "" }).ToList());
                    Console.Out.WriteLine();
                }

                return Task.FromResult(ExitCodes.Success);
            },
            ct));
        return command;
    }
}
