using MyBi.TestServers.ClickHouse.Chdb;
using MyBi.TestServers.ClickHouse.Http;

// Usage: MyBi.TestServers.ClickHouse --data <folder> [--chdb <libchdb.so>] [--password <p>] --urls http://127.0.0.1:58123
var builder = WebApplication.CreateSlimBuilder(args);
var dataPath = builder.Configuration["data"];
if (string.IsNullOrWhiteSpace(dataPath))
{
    Console.Error.WriteLine("Pass the data folder: --data <folder> (a temporary folder; chDB keeps its databases there).");
    return 2;
}

var libraryPath = builder.Configuration["chdb"]
    ?? Environment.GetEnvironmentVariable("MYBI_CHDB_LIBRARY")
    ?? Path.Combine(AppContext.BaseDirectory, "libchdb.so");

using var engine = new ChdbEngine(libraryPath, dataPath);
var identity = new ServerIdentity(
    builder.Configuration["display-name"] ?? "mybi-chdb",
    engine.Timezone,
    engine.Version,
    builder.Configuration["password"]);

builder.Services.AddSingleton(engine);
builder.Services.AddSingleton(identity);
builder.Services.AddSingleton<QueryHandler>();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = null;
    kestrel.AddServerHeader = false;
});

var app = builder.Build();
app.MapMethods("/ping", ["GET", "HEAD"], () => Results.Text("Ok.\n"));
app.MapGet("/replicas_status", () => Results.Text("Ok.\n"));
app.Map("/", async (HttpContext context, QueryHandler handler) =>
{
    if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Query.ContainsKey("query"))
    {
        await context.Response.WriteAsync("Ok.\n", context.RequestAborted).ConfigureAwait(false);
        return;
    }

    await handler.HandleAsync(context).ConfigureAwait(false);
});

await app.RunAsync().ConfigureAwait(false);
return 0;
