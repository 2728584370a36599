#!/usr/bin/env bash
# Proves the analyzers that keep the shape are on: a probe file compiled into MyBi.Abstractions (into artifacts of its
# own) must be refused for reading the clock (RS0030), writing to the console (RS0030) and adding an API that
# PublicAPI.Unshipped.txt does not list (RS0016). Called by .ci/run; runs on its own too.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/Probe.cs" <<'CS'
namespace MyBi.Abstractions.Probe;

/// <summary>Uses what libraries must not.</summary>
public static class AnalyzerProbe
{
    /// <summary>Reads the clock and writes to the console.</summary>
    public static System.DateTime Now()
    {
        System.Console.WriteLine("probe");
        return System.DateTime.UtcNow;
    }
}
CS
set +e
dotnet build engine/MyBi.Abstractions -c Release -p:MyBiAnalyzerProbe="$work/Probe.cs" -p:ArtifactsPath="$work/artifacts" \
  -v quiet -nologo >"$work/build.log" 2>&1
code=$?
set -e
failed=0
check() {
  if grep -q "$1" "$work/build.log"; then echo "analyzers: $2: refused ($1)"; else echo "analyzers: FAILED: $2 was not refused ($1)" >&2; failed=1; fi
}
[ "$code" -ne 0 ] || { echo "analyzers: FAILED: the probe built without errors" >&2; failed=1; }
check "RS0030.*'DateTime.UtcNow' is banned" "DateTime.UtcNow in a library"
check "RS0030.*'Console' is banned" "System.Console in a library"
check "RS0016.*AnalyzerProbe" "a public type missing from PublicAPI.Unshipped.txt"
if [ "$failed" -ne 0 ]; then
  cat "$work/build.log" >&2
  exit 1
fi
echo "analyzers: passed"
