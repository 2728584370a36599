using System.Globalization;
using System.Numerics;
using Jint;
using Jint.Native;
using Jint.Runtime.Interop;

namespace MyBi.Rules.Internal;

/// <summary>The one place that maps <see cref="SandboxLimits"/> to a Jint engine with no way out.</summary>
internal static class SandboxEngineFactory
{
    /// <summary>Globals a rule does not get: raw memory, weak references, a real clock, other realms, proxies, eval, locale data.</summary>
    private static readonly string[] s_removedGlobals =
    [
        "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "TypedArray",
        "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
        "WeakRef", "FinalizationRegistry", "ShadowRealm", "Temporal", "Proxy", "Intl", "eval",
    ];

    /// <param name="cancellation">A token Jint registers its cancellation constraint with; the runner swaps in each run's token.</param>
    public static Engine Create(SandboxLimits limits, RuleContext context, BatchBudget budget, CancellationToken cancellation)
    {
        var engine = new Engine(options =>
        {
            options.Strict = true;
            options.Host.StringCompilationAllowed = false;
            options.Interop.Enabled = false;
            options.Culture = CultureInfo.InvariantCulture;
            options.TimeZone = TimeZoneInfo.Utc;
            options.TimeSystem = new FrozenTimeSystem(context.RunDate);

            // The budget bounds time and statements over the whole batch, which also bounds every row within it
            // (a row never outlasts its batch). Jint's own time and statement constraints would only repeat that
            // per row, and its time constraint arms a new timer at every host call: a timer per input row.
            // Memory and recursion stay Jint's, per row.
            options.LimitMemory(limits.MaxMemoryBytes);
            options.LimitRecursion(limits.MaxRecursionDepth);
            options.CancellationToken(cancellation);
            options.Constraints.Constraints.Add(budget);
            // Jint checks the capacity it grows arrays to (powers of two), so a limit between powers would refuse
            // arrays shorter than itself.
            options.Constraints.MaxArraySize = BitOperations.RoundUpToPowerOf2((uint)limits.MaxArrayLength);
            options.Constraints.RegexTimeout = limits.Timeout;
            options.Constraints.StackOverflowGuard = true;
        });

        foreach (var name in s_removedGlobals)
        {
            engine.Global.Delete(name);
        }

        return engine;
    }

    public static JsValue CreateContext(Engine engine, RuleContext context)
    {
        var ctx = JsObject.CreateFromEntries(engine, (ReadOnlySpan<KeyValuePair<string, JsValue>>)
        [
            new("job", new JsString(context.JobName)),
            new("companyId", context.CompanyId is { } id ? JsNumber.Create(id) : JsValue.Null),
            new("runDate", new JsString(context.RunDateText)),
            new("stream", context.Stream is { } stream ? new JsString(stream) : JsValue.Null),
        ]);
        ctx.PreventExtensions();
        foreach (var key in ctx.GetOwnPropertyKeys())
        {
            var desc = ctx.GetOwnProperty(key);
            ctx.DefineOwnProperty(key, new Jint.Runtime.Descriptors.PropertyDescriptor(desc.Value, writable: false, enumerable: true, configurable: false));
        }

        return ctx;
    }

    public static void DefineGlobalFunction(Engine engine, string name, Func<JsValue, JsValue[], JsValue> body, int length)
    {
        var function = new ClrFunction(engine, name, body, length);
        engine.Global.DefineOwnProperty(name, new Jint.Runtime.Descriptors.PropertyDescriptor(function, writable: false, enumerable: false, configurable: false));
    }
}
