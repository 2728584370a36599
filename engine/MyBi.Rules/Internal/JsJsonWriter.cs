using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Jint;
using Jint.Native;
using Jint.Native.Error;
using Jint.Native.Object;
using Jint.Runtime;

namespace MyBi.Rules.Internal;

/// <summary>
/// JSON.stringify for rules, and the JSON text of json columns. It follows the standard algorithm (toJSON,
/// replacer function or property list, indentation) but refuses, before allocating, any text longer than the
/// string limit, so <c>JSON.stringify(Array(1e5).fill(bigText))</c> is a RangeError rather than gigabytes.
/// </summary>
internal sealed class JsJsonWriter
{
    private const int MaxDepth = 256;

    private readonly Engine _engine;
    private readonly int _maxChars;
    private readonly StringBuilder _text = new();
    private readonly List<ObjectInstance> _stack = [];
    private JsValue? _replacer;
    private List<JsValue>? _propertyList;
    private string _gap = string.Empty;
    private string _indent = string.Empty;

    private readonly ErrorConstructor _rangeError;

    /// <summary>Create before the rule runs: the RangeError constructor is taken from the untouched global.</summary>
    public JsJsonWriter(Engine engine, int maxChars)
        : this(engine, maxChars, (ErrorConstructor)engine.Global.Get("RangeError"))
    {
    }

    private JsJsonWriter(Engine engine, int maxChars, ErrorConstructor rangeError)
    {
        _engine = engine;
        _maxChars = maxChars;
        _rangeError = rangeError;
    }

    /// <summary>The standard <c>JSON.stringify(value, replacer, space)</c>.</summary>
    /// <remarks>toJSON and replacers run script, which may serialize again, so each call gets its own state.</remarks>
    public JsValue Stringify(JsValue thisObject, JsValue[] arguments) => Fresh().StringifyOnce(arguments);

    /// <summary>JSON text for a json column, or null when the value has none (undefined, a function).</summary>
    public string? ToJsonText(JsValue value) => Fresh().ToJsonTextOnce(value);

    private JsJsonWriter Fresh() => new(_engine, _maxChars, _rangeError);

    private JsValue StringifyOnce(JsValue[] arguments)
    {
        var value = arguments.Length > 0 ? arguments[0] : JsValue.Undefined;
        var replacer = arguments.Length > 1 ? arguments[1] : JsValue.Undefined;
        var space = arguments.Length > 2 ? arguments[2] : JsValue.Undefined;
        if (replacer.IsCallable())
        {
            _replacer = replacer;
        }
        else if (replacer.IsArray())
        {
            _propertyList = ReadPropertyList(replacer.AsArray());
        }

        _gap = space switch
        {
            JsNumber number => new string(' ', (int)Math.Clamp(TypeConverter.ToIntegerOrInfinity(number), 0, 10)),
            JsString text => text.ToString() is var s && s.Length > 10 ? s[..10] : text.ToString(),
            _ => string.Empty,
        };

        var holder = new JsObject(_engine);
        holder.FastSetDataProperty(string.Empty, value);
        return SerializeProperty(JsString.Empty, holder, 0) ? new JsString(_text.ToString()) : JsValue.Undefined;
    }

    private string? ToJsonTextOnce(JsValue value)
    {
        var holder = new JsObject(_engine);
        holder.FastSetDataProperty(string.Empty, value);
        return SerializeProperty(JsString.Empty, holder, 0) ? _text.ToString() : null;
    }

    private List<JsValue> ReadPropertyList(JsArray list)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var keys = new List<JsValue>();
        for (uint i = 0; i < list.Length; i++)
        {
            var item = list.Get(i);
            if ((item.IsString() || item.IsNumber()) && seen.Add(TypeConverter.ToString(item)))
            {
                keys.Add(new JsString(TypeConverter.ToString(item)));
            }
        }

        return keys;
    }

    private bool SerializeProperty(JsValue key, ObjectInstance holder, int depth)
    {
        var value = holder.Get(key);
        if (value is ObjectInstance withToJson && withToJson.Get("toJSON") is var toJson && toJson.IsCallable())
        {
            value = _engine.Call(toJson, value, [key]);
        }

        if (_replacer is not null)
        {
            value = _engine.Call(_replacer, holder, [key, value]);
        }

        switch (value)
        {
            case JsString text:
                Quote(text.ToString());
                return true;
            case JsNumber number:
                Append(double.IsFinite(number.AsNumber()) ? TypeConverter.ToString(number) : "null");
                return true;
            case JsBoolean flag:
                Append(flag.AsBoolean() ? "true" : "false");
                return true;
            case JsBigInt:
                throw new JavaScriptException(_engine.Intrinsics.TypeError, "Do not know how to serialize a BigInt");
            case ObjectInstance obj when !obj.IsCallable():
                if (depth >= MaxDepth)
                {
                    throw new JavaScriptException(_rangeError, $"JSON nesting is deeper than {MaxDepth}");
                }

                RuntimeHelpers.EnsureSufficientExecutionStack();
                if (obj.IsArray())
                {
                    SerializeArray(obj, depth + 1);
                }
                else
                {
                    SerializeObject(obj, depth + 1);
                }

                return true;
            default:
                if (value.IsNull())
                {
                    Append("null");
                    return true;
                }

                return false;
        }
    }

    private void SerializeObject(ObjectInstance obj, int depth)
    {
        Enter(obj);
        var stepBack = _indent;
        _indent += _gap;
        var keys = _propertyList ?? EnumerableOwnKeys(obj);
        Append("{");
        var wrote = false;
        foreach (var key in keys)
        {
            var mark = _text.Length;
            if (wrote)
            {
                Append(",");
            }

            if (_gap.Length > 0)
            {
                Append("\n");
                Append(_indent);
            }

            Quote(key.ToString());
            Append(_gap.Length > 0 ? ": " : ":");
            if (SerializeProperty(key, obj, depth))
            {
                wrote = true;
            }
            else
            {
                _text.Length = mark;
            }
        }

        if (wrote && _gap.Length > 0)
        {
            Append("\n");
            Append(stepBack);
        }

        Append("}");
        _indent = stepBack;
        _stack.RemoveAt(_stack.Count - 1);
    }

    private void SerializeArray(ObjectInstance array, int depth)
    {
        Enter(array);
        var stepBack = _indent;
        _indent += _gap;
        var length = TypeConverter.ToLength(array.Get("length"));
        Append("[");
        for (ulong i = 0; i < length; i++)
        {
            if (i > 0)
            {
                Append(",");
            }

            if (_gap.Length > 0)
            {
                Append("\n");
                Append(_indent);
            }

            if (!SerializeProperty(new JsString(i.ToString(CultureInfo.InvariantCulture)), array, depth))
            {
                Append("null");
            }
        }

        if (length > 0 && _gap.Length > 0)
        {
            Append("\n");
            Append(stepBack);
        }

        Append("]");
        _indent = stepBack;
        _stack.RemoveAt(_stack.Count - 1);
    }

    private static List<JsValue> EnumerableOwnKeys(ObjectInstance obj)
    {
        var keys = obj.GetOwnPropertyKeys(Types.String);
        keys.RemoveAll(k => !obj.GetOwnProperty(k).Enumerable);
        return keys;
    }

    private void Enter(ObjectInstance obj)
    {
        foreach (var open in _stack)
        {
            if (ReferenceEquals(open, obj))
            {
                throw new JavaScriptException(_engine.Intrinsics.TypeError, "Converting circular structure to JSON");
            }
        }

        _stack.Add(obj);
    }

    private void Quote(string value)
    {
        Reserve(value.Length + 2);
        _text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        _text.Append(c).Append(value[++i]);
                    }
                    else if (c < ' ' || char.IsSurrogate(c))
                    {
                        // Control characters and lone surrogate halves are escaped, as the standard says.
                        _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _text.Append(c);
                    }

                    break;
            }
        }

        _text.Append('"');
        Reserve(0);
    }

    private void Append(string value)
    {
        Reserve(value.Length);
        _text.Append(value);
    }

    private void Reserve(int more)
    {
        if ((long)_text.Length + more > _maxChars)
        {
            throw new JavaScriptException(_rangeError, $"JSON text would be longer than {_maxChars} characters, the rules' string limit");
        }
    }
}
