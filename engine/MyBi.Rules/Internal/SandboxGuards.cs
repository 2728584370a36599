using System.Runtime.CompilerServices;
using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Error;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace MyBi.Rules.Internal;

/// <summary>
/// Replacements for the built-ins that can make one huge string in a single call (Jint's memory limit notices
/// an allocation only after it happened): each checks the size of its result first and throws a RangeError
/// instead. They are host functions, so an error points at the rule's own call. The originals are kept here,
/// out of the rule's reach. Also replaces <c>Math.random</c> and <c>JSON.stringify</c>.
/// </summary>
internal sealed class SandboxGuards
{
    // Host loops over script-controlled lengths hand control to the constraints this often.
    private const int ConstraintCheckInterval = 1024;

    private readonly Engine _engine;
    private readonly int _max;
    private readonly ErrorConstructor _rangeError;
    private readonly JsValue _objectConstructor;
    private readonly JsValue _repeat;
    private readonly JsValue _padStart;
    private readonly JsValue _padEnd;
    private readonly JsValue _replace;
    private readonly JsValue _replaceAll;
    private readonly JsValue _regExpReplace;
    private readonly List<ObjectInstance> _joining = [];

    private SandboxGuards(Engine engine, int maxLength, ObjectInstance stringPrototype, ObjectInstance regExpPrototype, JsValue replaceSymbol)
    {
        _engine = engine;
        _max = maxLength;
        _rangeError = (ErrorConstructor)engine.Global.Get("RangeError");
        _objectConstructor = engine.Global.Get("Object");
        _repeat = stringPrototype.Get("repeat");
        _padStart = stringPrototype.Get("padStart");
        _padEnd = stringPrototype.Get("padEnd");
        _replace = stringPrototype.Get("replace");
        _replaceAll = stringPrototype.Get("replaceAll");
        _regExpReplace = regExpPrototype.Get(replaceSymbol);
    }

    /// <summary>Installs the guards; run before any rule code, while the globals are still the engine's own.</summary>
    public static void Install(Engine engine, int maxLength, JsJsonWriter json)
    {
        var global = engine.Global;
        var stringConstructor = (ObjectInstance)global.Get("String");
        var stringPrototype = (ObjectInstance)stringConstructor.Get("prototype");
        var arrayPrototype = (ObjectInstance)((ObjectInstance)global.Get("Array")).Get("prototype");
        var regExpPrototype = (ObjectInstance)((ObjectInstance)global.Get("RegExp")).Get("prototype");
        var replaceSymbol = ((ObjectInstance)global.Get("Symbol")).Get("replace");
        var guards = new SandboxGuards(engine, maxLength, stringPrototype, regExpPrototype, replaceSymbol);

        guards.Define(stringPrototype, "repeat", guards.Repeat, 1);
        guards.Define(stringPrototype, "padStart", (t, a) => guards.Pad(t, a, guards._padStart, "padStart"), 1);
        guards.Define(stringPrototype, "padEnd", (t, a) => guards.Pad(t, a, guards._padEnd, "padEnd"), 1);
        guards.Define(stringPrototype, "concat", guards.Concat, 1);
        guards.Define(stringPrototype, "replace", (t, a) => guards.StringReplace(t, a, guards._replace, "replace"), 2);
        guards.Define(stringPrototype, "replaceAll", (t, a) => guards.StringReplace(t, a, guards._replaceAll, "replaceAll"), 2);
        guards.Define(regExpPrototype, replaceSymbol, "[Symbol.replace]", guards.RegExpReplace, 2);
        guards.Define(stringConstructor, "raw", guards.Raw, 1);
        guards.Define(arrayPrototype, "join", (t, a) => guards.Join(t, Argument(a, 0), "join", locale: false), 1);
        guards.Define(arrayPrototype, "toLocaleString", (t, _) => guards.Join(t, JsValue.Undefined, "toLocaleString", locale: true), 0);
        guards.Define((ObjectInstance)global.Get("JSON"), "stringify", json.Stringify, 3);
        guards.Define((ObjectInstance)global.Get("Math"), "random", guards.Random, 0);
    }

    private JsValue Repeat(JsValue thisObject, JsValue[] arguments)
    {
        var text = ThisString(thisObject, "repeat");
        var count = TypeConverter.ToNumber(Argument(arguments, 0));
        var times = double.IsNaN(count) ? 0 : Math.Truncate(count);
        if (text.Length > 0 && times > 0 && text.Length * times > _max)
        {
            throw TooLong("repeat", text.Length * times);
        }

        return _engine.Call(_repeat, new JsString(text), [JsNumber.Create(times)]);
    }

    private JsValue Pad(JsValue thisObject, JsValue[] arguments, JsValue original, string name)
    {
        var text = ThisString(thisObject, name);
        var length = TypeConverter.ToNumber(Argument(arguments, 0));
        if (length > _max && length > text.Length)
        {
            throw TooLong(name, length);
        }

        return _engine.Call(original, new JsString(text), [JsNumber.Create(length), Argument(arguments, 1)]);
    }

    private JsValue Concat(JsValue thisObject, JsValue[] arguments)
    {
        var result = new StringBuilder(ThisString(thisObject, "concat"));
        foreach (var argument in arguments)
        {
            Append(result, TypeConverter.ToString(argument), "concat");
        }

        return new JsString(result.ToString());
    }

    private JsValue Raw(JsValue thisObject, JsValue[] arguments)
    {
        var raw = ToObject(ToObject(Argument(arguments, 0)).Get("raw"));
        var length = TypeConverter.ToLength(raw.Get("length"));
        var result = new StringBuilder();
        for (ulong i = 0; i < length; i++)
        {
            Tick(i);
            Append(result, TypeConverter.ToString(raw.Get(JsNumber.Create((double)i))), "String.raw");
            if (i + 1 < length && i + 1 < (ulong)arguments.Length)
            {
                Append(result, TypeConverter.ToString(arguments[i + 1]), "String.raw");
            }
        }

        return new JsString(result.ToString());
    }

    private JsValue Join(JsValue thisObject, JsValue separator, string name, bool locale)
    {
        var array = ToObject(thisObject);
        RuntimeHelpers.EnsureSufficientExecutionStack();
        foreach (var open in _joining)
        {
            if (ReferenceEquals(open, array))
            {
                return JsString.Empty;
            }
        }

        var length = TypeConverter.ToLength(array.Get("length"));
        var sep = separator.IsUndefined() ? "," : TypeConverter.ToString(separator);
        if (length > 1 && (length - 1) * (double)sep.Length > _max)
        {
            throw TooLong(name, (length - 1) * (double)sep.Length);
        }

        _joining.Add(array);
        try
        {
            var result = new StringBuilder();
            for (ulong i = 0; i < length; i++)
            {
                Tick(i);
                if (i > 0)
                {
                    Append(result, sep, name);
                }

                var element = array.Get(JsNumber.Create((double)i));
                if (element.IsNull() || element.IsUndefined())
                {
                    continue;
                }

                var text = locale
                    ? TypeConverter.ToString(_engine.Call(ToObject(element).Get("toLocaleString"), element, []))
                    : TypeConverter.ToString(element);
                Append(result, text, name);
            }

            return new JsString(result.ToString());
        }
        finally
        {
            _joining.RemoveAt(_joining.Count - 1);
        }
    }

    private JsValue StringReplace(JsValue thisObject, JsValue[] arguments, JsValue original, string name)
    {
        var text = new JsString(ThisString(thisObject, name));
        var search = Argument(arguments, 0);
        var replacement = Argument(arguments, 1);
        if (replacement.IsCallable())
        {
            return _engine.Call(original, text, [search, CountingReplacer(replacement, text.Length, name)]);
        }

        var template = new JsString(TypeConverter.ToString(replacement));
        CheckTemplate(text.ToString(), template.ToString(), search, counter => _engine.Call(original, text, [search, counter]), name);
        return _engine.Call(original, text, [search, template]);
    }

    private JsValue RegExpReplace(JsValue thisObject, JsValue[] arguments)
    {
        var text = new JsString(TypeConverter.ToString(Argument(arguments, 0)));
        var replacement = Argument(arguments, 1);
        if (replacement.IsCallable())
        {
            return _engine.Call(_regExpReplace, thisObject, [text, CountingReplacer(replacement, text.Length, "replace")]);
        }

        var template = new JsString(TypeConverter.ToString(replacement));
        CheckTemplate(text.ToString(), template.ToString(), thisObject, counter => _engine.Call(_regExpReplace, thisObject, [text, counter]), "replace");
        return _engine.Call(_regExpReplace, thisObject, [text, template]);
    }

    private ClrFunction CountingReplacer(JsValue replacer, int length, string name)
    {
        double total = length;
        return new ClrFunction(_engine, string.Empty, (_, arguments) =>
        {
            var part = TypeConverter.ToString(_engine.Call(replacer, JsValue.Undefined, arguments));
            total += part.Length;
            return total > _max ? throw TooLong(name, total) : new JsString(part);
        });
    }

    /// <summary>
    /// Bounds the result of a replacement template ("$&amp;", "$`", "$1"...). A cheap bound usually settles it;
    /// only a big text measures its real matches, with a replacer that adds what each substitution could add.
    /// </summary>
    private void CheckTemplate(string text, string template, JsValue target, Func<JsValue, JsValue> runWith, string name)
    {
        var shape = TemplateShape.Of(template);
        double length = text.Length;
        if (length + ((length + 1) * (shape.Literal + (shape.References * length))) <= _max)
        {
            return;
        }

        var total = length;
        var lastIndex = target is ObjectInstance regex ? regex.Get("lastIndex") : null;
        runWith(new ClrFunction(_engine, string.Empty, (_, a) =>
        {
            var last = a.Length - 1;
            if (last > 0 && a[last] is ObjectInstance)
            {
                last--;
            }

            double matched = TypeConverter.ToString(a[0]).Length;
            var offset = last >= 1 ? TypeConverter.ToNumber(a[last - 1]) : 0;
            double capture = 0;
            for (var j = 1; j < last - 1; j++)
            {
                capture = a[j] is JsString c ? Math.Max(capture, c.Length) : capture;
            }

            total += shape.Literal + (shape.Whole * matched) + (shape.Before * offset) + (shape.After * (length - offset - matched)) + (shape.Captures * capture);
            return total > _max ? throw TooLong(name, total) : JsString.Empty;
        }));
        if (lastIndex is JsNumber && target is ObjectInstance restore)
        {
            restore.Set("lastIndex", lastIndex);
        }
    }

    private JsValue Random(JsValue thisObject, JsValue[] arguments) =>
        throw new JavaScriptException(_engine.Intrinsics.TypeError, "Math.random is not available in rules: a rule must give the same rows for the same input");

    private string ThisString(JsValue thisObject, string name)
    {
        if (thisObject.IsNull() || thisObject.IsUndefined())
        {
            throw new JavaScriptException(_engine.Intrinsics.TypeError, $"String.prototype.{name} called on null or undefined");
        }

        return TypeConverter.ToString(thisObject);
    }

    private ObjectInstance ToObject(JsValue value)
    {
        if (value is ObjectInstance obj)
        {
            return obj;
        }

        if (value.IsNull() || value.IsUndefined())
        {
            throw new JavaScriptException(_engine.Intrinsics.TypeError, "Cannot convert undefined or null to object");
        }

        return _engine.Construct(_objectConstructor, [value]);
    }

    private void Append(StringBuilder result, string part, string name)
    {
        if ((long)result.Length + part.Length > _max)
        {
            throw TooLong(name, (long)result.Length + part.Length);
        }

        result.Append(part);
    }

    private void Tick(ulong iteration)
    {
        if (iteration % ConstraintCheckInterval == ConstraintCheckInterval - 1)
        {
            _engine.Constraints.Check();
        }
    }

    private JavaScriptException TooLong(string name, double length) =>
        new(_rangeError, $"{name} would build a string of {length:0} characters; rules allow at most {_max}");

    private void Define(ObjectInstance target, string name, Func<JsValue, JsValue[], JsValue> body, int length) =>
        Define(target, new JsString(name), name, body, length);

    private void Define(ObjectInstance target, JsValue key, string name, Func<JsValue, JsValue[], JsValue> body, int length) =>
        target.DefineOwnProperty(key, new PropertyDescriptor(new ClrFunction(_engine, name, body, length), writable: true, enumerable: false, configurable: true));

    private static JsValue Argument(JsValue[] arguments, int index) => index < arguments.Length ? arguments[index] : JsValue.Undefined;

    /// <summary>What one substitution of a replacement template can add: literal characters and references.</summary>
    private readonly record struct TemplateShape(int Literal, int References, int Whole, int Before, int After, int Captures)
    {
        public static TemplateShape Of(string template)
        {
            int literal = 0, whole = 0, before = 0, after = 0, captures = 0;
            for (var i = 0; i < template.Length; i++)
            {
                var next = template[i] == '$' && i + 1 < template.Length ? template[i + 1] : '\0';
                switch (next)
                {
                    case '$': literal++; i++; break;
                    case '&': whole++; i++; break;
                    case '`': before++; i++; break;
                    case '\'': after++; i++; break;
                    case '<' or (>= '0' and <= '9'):
                        // "$12" or "$<name>" may also stay literal; counting both the capture and 3 characters over-estimates safely.
                        captures++;
                        literal += 3;
                        i++;
                        break;
                    default: literal++; break;
                }
            }

            return new TemplateShape(literal, whole + before + after + captures, whole, before, after, captures);
        }
    }
}
