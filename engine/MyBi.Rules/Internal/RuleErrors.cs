using System.Globalization;
using System.Text.RegularExpressions;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace MyBi.Rules.Internal;

/// <summary>Turns what Jint throws into one clear <see cref="RuleException"/> line, pointing into the rule file.</summary>
internal static partial class RuleErrors
{
    /// <summary>Null when the exception is not the rule's doing (a bug of ours): the caller lets it through.</summary>
    /// <param name="perRow">Whether the failure belongs to one input row (so it may be quarantined) rather than to the batch.</param>
    public static RuleException? Map(Exception exception, string file, SandboxLimits limits, string? rowKey, out bool perRow)
    {
        perRow = true;
        string reason;
        switch (exception)
        {
            case JavaScriptException js:
                reason = Describe(js);
                break;
            case RowFailure failure:
                reason = failure.Message;
                break;
            case MemoryLimitExceededException memory:
                reason = $"memory limit ({limits.MaxMemoryBytes / (1024.0 * 1024.0):0.#} MB for one input row, arrays of {limits.MaxArrayLength} items): {memory.Message}";
                break;
            case RecursionDepthOverflowException:
                reason = $"the rule nested calls deeper than {limits.MaxRecursionDepth} (endless recursion?)";
                break;
            case InsufficientExecutionStackException:
                reason = "the rule nested calls too deeply for the stack (endless recursion?)";
                break;
            case TimeoutException:
                perRow = false;
                reason = $"the rule ran longer than its limit of {limits.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s for one batch (an endless loop?)";
                break;
            case StatementsCountOverflowException:
                perRow = false;
                reason = $"the rule ran more than {limits.MaxStatements.ToString("N0", CultureInfo.InvariantCulture)} statements in one batch (an endless loop?)";
                break;
            case ExecutionCanceledException:
                return null;
            case JintException jint:
                reason = jint.Message;
                break;
            default:
                return null;
        }

        var (line, column) = Locate(exception, file);
        return new RuleException(file, line, column, rowKey, reason, exception);
    }

    private static string Describe(JavaScriptException js)
    {
        if (js.Error is ObjectInstance error && DataProperty(error, "name") is JsString name)
        {
            return $"{name}: {js.Message}";
        }

        return $"Uncaught {js.Message}";
    }

    // Reads without running getters: the error object is the script's and may be hostile.
    private static JsValue? DataProperty(ObjectInstance obj, string name)
    {
        for (var current = obj; current is not null; current = current.Prototype)
        {
            var descriptor = current.GetOwnProperty(name);
            if (descriptor.IsDataDescriptor())
            {
                return descriptor.Value;
            }

            if (descriptor.IsAccessorDescriptor())
            {
                return null;
            }
        }

        return null;
    }

    private static (int Line, int Column) Locate(Exception exception, string file)
    {
        if (!JintException.TryGetJavaScriptLocation(exception, out var location) || location.Start.Line <= 0)
        {
            return (0, 0);
        }

        if (string.Equals(location.SourceFile, file, StringComparison.Ordinal))
        {
            return (location.Start.Line, location.Start.Column + 1);
        }

        // Thrown inside a sandbox guard: point at the rule's own call instead, from the call stack.
        if (exception is JavaScriptException { JavaScriptStackTrace: { } stack })
        {
            var marker = file + ":";
            var at = stack.IndexOf(marker, StringComparison.Ordinal);
            var place = at >= 0 ? LineColumn().Match(stack, at + marker.Length) : Match.Empty;
            if (place.Success)
            {
                return (int.Parse(place.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(place.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }

        return (0, 0);
    }

    [GeneratedRegex(@"\G(\d+):(\d+)")]
    private static partial Regex LineColumn();
}
