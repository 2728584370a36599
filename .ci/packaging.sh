#!/usr/bin/env bash
# The two ways mybi ships, end to end, each run from a folder outside the tree: the .NET tool (`dotnet pack` of
# engine/MyBi.Cli, `dotnet tool install --tool-path` from the packed package) and the self-contained single-file
# linux-x64 program with its plugins beside it. Each prints its version and loads the demo into DuckDB. Runs on its
# own (bash .ci/packaging.sh); .ci/run passes --no-build because its test run has just built the Release outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=$SECONDS
no_build=()
[ "${1:-}" = "--no-build" ] && no_build=(--no-build)
work=$(mktemp -d)
cleanup() {
  if [ -n "${MYBI_KEEP_PACKAGING_WORK:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
step() { echo "== packaging: $*"; }
fail() { echo "packaging: FAILED: $*" >&2; exit 1; }
case "$work" in "$root"/*) fail "the temporary folder $work is inside the tree" ;; esac

version=$(dotnet msbuild engine/MyBi.Cli -getProperty:Version -p:Configuration=Release)
[ -n "$version" ] || fail "cannot read the version of engine/MyBi.Cli"

# One installed or published mybi, run from a folder of its own: its version, then the demo (the sandbox, a sync of a
# few days into DuckDB, the answers from the views) and a query of what it loaded.
exercise() {
  local name=$1 program=$2 folder=$work/run-$1
  mkdir -p "$folder"
  local printed
  printed=$(cd "$folder" && "$program" --version) || fail "$name: mybi --version"
  echo "$name: mybi --version -> $printed"
  case "$printed" in "$version"*) ;; *) fail "$name: mybi --version printed '$printed', expected $version" ;; esac
  (cd "$folder" && "$program" demo --days 3 >"$folder/demo.log" 2>&1) || { cat "$folder/demo.log"; fail "$name: mybi demo"; }
  grep -q "v_revenue_daily" "$folder/demo.log" || { cat "$folder/demo.log"; fail "$name: the demo printed no answers from the views"; }
  local rows
  rows=$(cd "$folder" && "$program" query mybi-demo.yaml "select count(*) as n from records" --csv) || fail "$name: mybi query"
  [ "$(echo "$rows" | tail -n 1)" -gt 0 ] 2>/dev/null || fail "$name: the demo loaded no records: $rows"
  echo "$name: demo loaded $(echo "$rows" | tail -n 1) records"
}

step "dotnet pack engine/MyBi.Cli ${version} (the .NET tool)"
dotnet pack engine/MyBi.Cli -c Release "${no_build[@]}" -o "$work/feed" -v quiet -nologo >"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log"; fail "dotnet pack engine/MyBi.Cli"; }
[ -f "$work/feed/MyBi.Cli.$version.nupkg" ] || { ls "$work/feed"; fail "the feed lacks MyBi.Cli.$version.nupkg"; }

step "dotnet tool install --tool-path from the packed package"
# A packages folder of this run: a MyBi.Cli of the same version installed earlier can never stand in for this one.
NUGET_PACKAGES="$work/packages" dotnet tool install --tool-path "$work/tool" --add-source "$work/feed" MyBi.Cli --version "$version" \
  >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dotnet tool install MyBi.Cli"; }
exercise tool "$work/tool/mybi"

step "dotnet publish linux-x64 self-contained single file"
# Its own artifacts folder: a self-contained build must not replace the framework-dependent outputs the tests use.
dotnet publish engine/MyBi.Cli -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
  -p:ArtifactsPath="$work/artifacts" -o "$work/publish" -v quiet -nologo >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; fail "dotnet publish of the single-file program"; }
[ -f "$work/publish/plugins/yclients/MyBi.Connectors.YClients.dll" ] || fail "the single-file publish has no plugins/yclients beside the program"
[ ! -e "$work/publish/mybi.dll" ] || fail "the single-file publish left mybi.dll beside the program"
# Moved to another folder: the program finds its plugins beside itself, wherever it is.
mkdir -p "$work/elsewhere"
mv "$work/publish" "$work/elsewhere/mybi"
exercise single-file "$work/elsewhere/mybi/mybi"

echo "packaging: passed in $((SECONDS - started)) s"
