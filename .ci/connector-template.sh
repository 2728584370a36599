#!/usr/bin/env bash
# Writing a connector outside this repository, end to end: packs MyBi.Abstractions, MyBi.Plugins.Testing and
# MyBi.Templates into a local feed, creates a connector with `dotnet new mybi-connector` in a temporary folder
# outside the tree, builds it against those packages only, runs its tests (the connector conformance suite), publishes
# it into a plugin folder and syncs a pipeline using it into DuckDB with the mybi built in this tree. The Echo example
# is built out of the tree the same way. Runs on its own (bash .ci/connector-template.sh); .ci/run passes --no-build
# because its test run has just built the Release outputs that are packed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$SECONDS
no_build=()
[ "${1:-}" = "--no-build" ] && no_build=(--no-build)
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  if [ -n "${MYBI_KEEP_TEMPLATE_WORK:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { echo "== connector template: $*"; }
fail() { echo "connector template: FAILED: $*" >&2; exit 1; }
case "$work" in "$root"/*) fail "the temporary folder $work is inside the tree" ;; esac

# Only the version of the packages is needed from the tree; everything else comes from the packages.
version=$(dotnet msbuild engine/MyBi.Abstractions -getProperty:Version -p:Configuration=Release)
[ -n "$version" ] || fail "cannot read the package version of engine/MyBi.Abstractions"

step "pack ${version} into a local feed"
feed=$work/feed
for project in engine/MyBi.Abstractions plugins/MyBi.Plugins.Testing; do
  dotnet pack "$project" -c Release "${no_build[@]}" -o "$feed" -v quiet -nologo >"$work/pack.log" 2>&1 \
    || { cat "$work/pack.log"; fail "dotnet pack $project"; }
done
# The template package compiles nothing; it is always packed from its content folder.
dotnet pack templates/MyBi.Templates -c Release -o "$feed" -v quiet -nologo >"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log"; fail "dotnet pack templates/MyBi.Templates"; }
for package in MyBi.Abstractions MyBi.Plugins.Testing MyBi.Templates; do
  [ -f "$feed/$package.$version.nupkg" ] || fail "the feed lacks $package.$version.nupkg"
done

# NuGet: the local feed for MyBi.* and this machine's usual sources for everything else. The packages restore into a
# folder of this run, so a package of the same version packed earlier can never stand in for the one just packed;
# the machine's package cache is a read-only fallback for the rest.
machine_cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
[ ! -d "$machine_cache/mybi.abstractions/$version" ] \
  || fail "$machine_cache holds mybi.abstractions/$version, which would hide the packed one; delete $machine_cache/mybi.*"
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  echo "  <config><add key=\"globalPackagesFolder\" value=\"$work/packages\" /></config>"
  echo '  <packageSources>'
  echo '    <clear />'
  echo "    <add key=\"mybi-local\" value=\"$feed\" />"
  n=0
  while read -r url; do
    n=$((n + 1)); echo "    <add key=\"registry$n\" value=\"$url\" />"
  done < <(dotnet nuget list source --format short | awk '$1 ~ /^E/ {print $2}')
  echo '  </packageSources>'
  echo "  <fallbackPackageFolders><clear /><add key=\"machine\" value=\"$machine_cache\" /></fallbackPackageFolders>"
  echo '  <packageSourceMapping>'
  echo '    <packageSource key="mybi-local"><package pattern="MyBi.*" /></packageSource>'
  for i in $(seq 1 "$n"); do
    echo "    <packageSource key=\"registry$i\"><package pattern=\"*\" /></packageSource>"
  done
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} >"$work/nuget.config"
[ "$(grep -c '<package pattern="\*"' "$work/nuget.config")" -ge 1 ] || fail "no enabled NuGet source on this machine (dotnet nuget list source)"

step "dotnet new mybi-connector in $work/acme"
hive=$work/template-hive
dotnet new install "$feed/MyBi.Templates.$version.nupkg" --debug:custom-hive "$hive" >"$work/new.log" 2>&1 \
  || { cat "$work/new.log"; fail "dotnet new install MyBi.Templates"; }
dotnet new mybi-connector -n Acme.Connector --connectorId acme -o "$work/acme" --debug:custom-hive "$hive" >"$work/new.log" 2>&1 \
  || { cat "$work/new.log"; fail "dotnet new mybi-connector"; }
if grep -rqs "$root" --include='*.csproj' --include='*.props' --include='*.targets' "$work/acme"; then
  fail "the created connector refers into the tree"
fi
grep -q '"id": "acme"' "$work/acme/src/Acme.Connector/plugin.json" || fail "plugin.json does not carry the connector id acme"

step "build the connector against the packed packages"
dotnet build "$work/acme/src/Acme.Connector" -c Release -v quiet -nologo || fail "the created connector does not build"
grep -q "\"MyBi.Abstractions/$version\"" "$work/acme/src/Acme.Connector/obj/project.assets.json" \
  || fail "the connector did not restore MyBi.Abstractions $version"
[ -f "$work/packages/mybi.abstractions/$version/mybi.abstractions.nuspec" ] || fail "MyBi.Abstractions did not come from the local feed"

step "test the connector (conformance suite against its HTTP server on loopback)"
dotnet test "$work/acme/tests/Acme.Connector.Tests" -c Release --logger "console;verbosity=normal" \
  || fail "the created connector's tests failed"

step "publish into a plugin folder"
dotnet publish "$work/acme/src/Acme.Connector" -c Release -o "$work/run/plugins/acme" -v quiet -nologo || fail "dotnet publish"
[ ! -e "$work/run/plugins/acme/MyBi.Abstractions.dll" ] || fail "the plugin folder carries MyBi.Abstractions.dll, which the host provides"

step "build the Echo example copied out of the tree"
cp -r tests/TestPlugins/MyBi.Connectors.Echo "$work/echo"
rm -rf "$work/echo/bin" "$work/echo/obj"
dotnet build "$work/echo" -c Release -v quiet -nologo || fail "the Echo example does not build outside the tree"

step "sync a pipeline using the plugin into DuckDB"
cli_dll=$(ls -d "$root"/artifacts/bin/MyBi.Cli/release*/mybi.dll 2>/dev/null | head -n 1 || true)
if [ -z "$cli_dll" ]; then
  dotnet build engine/MyBi.Cli -c Release -v quiet -nologo || fail "building engine/MyBi.Cli"
  cli_dll=$(ls -d "$root"/artifacts/bin/MyBi.Cli/release*/mybi.dll | head -n 1)
fi
mybi() { dotnet "$cli_dll" "$@"; }

# The example API the template's connector expects, served on a free loopback port by a small program built here.
mkdir -p "$work/api"
cat >"$work/api/api.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
</Project>
XML
cat >"$work/api/Program.cs" <<'CS'
using System.Text.Json.Nodes;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
var app = builder.Build();
var first = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
var items = Enumerable.Range(1, 7).Select(id => new JsonObject {
    ["id"] = id, ["name"] = $"Item {id}", ["price"] = id * 2.5m,
    ["updated_at"] = first.AddHours(id).ToString("O"),
    ["owner"] = new JsonObject { ["id"] = id % 3, ["email"] = $"owner{id % 3}@example.com" },
    ["tags"] = new JsonArray("ci") }).ToList();
app.MapGet("/v1/items", (HttpContext http) => {
    if (http.Request.Headers.Authorization.ToString() != "Bearer ci-key") return Results.StatusCode(401);
    int page = int.Parse(http.Request.Query["page"].FirstOrDefault() ?? "1"), size = int.Parse(http.Request.Query["per_page"].FirstOrDefault() ?? "100");
    var since = DateTimeOffset.TryParse(http.Request.Query["updated_since"].FirstOrDefault(), out var s) ? s : DateTimeOffset.MinValue;
    var matching = items.Where(i => DateTimeOffset.Parse((string)i["updated_at"]!) >= since).ToList();
    var answer = new JsonObject {
        ["items"] = new JsonArray(matching.Skip((page - 1) * size).Take(size).Select(i => (JsonNode)i.DeepClone()).ToArray()),
        ["next_page"] = page * size < matching.Count ? page + 1 : null };
    return Results.Content(answer.ToJsonString(), "application/json");
});
await app.StartAsync();
File.WriteAllText(args[0] + ".tmp", app.Urls.First());
File.Move(args[0] + ".tmp", args[0]);
await app.WaitForShutdownAsync();
CS
dotnet build "$work/api" -c Release -o "$work/api/bin" -v quiet -nologo >"$work/api.log" 2>&1 \
  || { cat "$work/api.log"; fail "building the example API"; }
dotnet "$work/api/bin/api.dll" "$work/api/address" >>"$work/api.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  [ -s "$work/api/address" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/api.log"; fail "the example API did not start"; }
  sleep 0.5
done
[ -s "$work/api/address" ] || { cat "$work/api.log"; fail "the example API did not start within a minute"; }
address=$(cat "$work/api/address")

cat >"$work/run/acme.yaml" <<YAML
name: acme-ci
plugins_dir: ./plugins
source:
  connector: acme
  config: {base_url: "$address/v1", api_key: "\${ACME_API_KEY}", page_size: 3}
  streams: [items]
destination: {type: duckdb, path: ./acme.duckdb}
YAML
export ACME_API_KEY=ci-key
mybi plugins --plugins-dir "$work/run/plugins" | grep -q acme || fail "mybi plugins --plugins-dir does not list acme"
mybi validate "$work/run/acme.yaml" || fail "mybi validate of the pipeline using the plugin"
mybi sync "$work/run/acme.yaml" || fail "mybi sync with the plugin"
mybi sync "$work/run/acme.yaml" >/dev/null || fail "the second (incremental) mybi sync with the plugin"
rows=$(mybi query "$work/run/acme.yaml" "select count(*) as n, count(distinct id) as ids, sum(price) as total from items" --json)
echo "$rows"
echo "$rows" | grep -Eq '"n": ?7\b' || fail "expected 7 rows in items after two syncs, got: $rows"
echo "$rows" | grep -Eq '"ids": ?7\b' || fail "expected 7 distinct ids in items, got: $rows"
echo "$rows" | grep -Eq '"total": ?"?70(\.0+)?"?' || fail "expected the prices to sum to 70, got: $rows"

echo "connector template: passed in $((SECONDS - started)) s"
