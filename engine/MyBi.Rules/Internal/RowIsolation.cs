using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace MyBi.Rules.Internal;

/// <summary>
/// Keeps one input row from seeing what an earlier row changed. After the rule's top level ran, everything reachable
/// from the globals (the built-ins, their prototypes and the rule's own top-level values) is frozen, the global object
/// takes no new properties, declared functions cannot be reassigned, and the rule's other reassignable top-level
/// bindings (<c>let</c>, <c>var</c>, classes) are put back to their top-level values before each row. Built-ins that change hidden state rather than
/// properties (Map, Set, WeakMap, WeakSet, Date setters) refuse to change a frozen object. A fresh engine per row
/// would cost far more than the rows themselves; state kept inside a closure is the one thing this does not reset.
/// </summary>
internal sealed class RowIsolation
{
    private static readonly (string Constructor, string[] Methods)[] s_stateMutators =
    [
        ("Map", ["set", "delete", "clear"]),
        ("Set", ["add", "delete", "clear"]),
        ("WeakMap", ["set", "delete"]),
        ("WeakSet", ["add", "delete"]),
        ("Date",
        [
            "setDate", "setFullYear", "setHours", "setMilliseconds", "setMinutes", "setMonth", "setSeconds", "setTime",
            "setUTCDate", "setUTCFullYear", "setUTCHours", "setUTCMilliseconds", "setUTCMinutes", "setUTCMonth", "setUTCSeconds", "setYear",
        ]),
    ];

    private readonly Engine _engine;
    private readonly HashSet<ObjectInstance> _frozen = new(ReferenceEqualityComparer.Instance);
    private JsValue? _restore;
    private JsValue[] _snapshot = [];

    private RowIsolation(Engine engine) => _engine = engine;

    /// <summary>Wraps the state-changing built-ins; run before any rule code, while they are still the engine's own.</summary>
    public static RowIsolation Install(Engine engine)
    {
        var isolation = new RowIsolation(engine);
        foreach (var (constructor, methods) in s_stateMutators)
        {
            if (engine.Global.Get(constructor) is not ObjectInstance type || type.Get("prototype") is not ObjectInstance prototype)
            {
                continue;
            }

            foreach (var method in methods)
            {
                var original = prototype.Get(method);
                if (!original.IsCallable())
                {
                    continue;
                }

                var name = $"{constructor}.prototype.{method}";
                var guard = new ClrFunction(engine, method, (thisObject, arguments) => isolation.CallUnlessFrozen(thisObject, arguments, original, name), 1);
                prototype.DefineOwnProperty(method, new PropertyDescriptor(guard, writable: true, enumerable: false, configurable: true));
            }
        }

        return isolation;
    }

    /// <summary>Freezes what the top level left behind and remembers the bindings to put back before each row.</summary>
    public void Seal(Script program)
    {
        var (reassignable, constants) = TopLevelNames(program);
        var global = _engine.Global;
        var pending = new Stack<ObjectInstance>();
        _frozen.Add(global);
        var keepWritable = new HashSet<string>(reassignable, StringComparer.Ordinal);
        foreach (var key in global.GetOwnPropertyKeys(Types.String | Types.Symbol))
        {
            var descriptor = global.GetOwnProperty(key);
            if (descriptor.IsAccessorDescriptor())
            {
                Push(pending, descriptor.Get);
                Push(pending, descriptor.Set);
                global.DefineOwnProperty(key, new GetSetPropertyDescriptor(descriptor.Get, descriptor.Set, descriptor.Enumerable, configurable: false));
                continue;
            }

            Push(pending, descriptor.Value);
            var writable = descriptor.Writable && key is JsString && keepWritable.Contains(key.ToString());
            global.DefineOwnProperty(key, new PropertyDescriptor(descriptor.Value, writable, descriptor.Enumerable, configurable: false));
        }

        global.PreventExtensions();
        Push(pending, global.Prototype);

        if (reassignable.Count + constants.Count > 0)
        {
            var all = reassignable.Concat(constants).ToList();
            var values = _engine.Evaluate($"[{string.Join(", ", all)}]").AsArray();
            for (var i = 0; i < all.Count; i++)
            {
                Push(pending, values.Get((uint)i));
            }

            if (reassignable.Count > 0)
            {
                _snapshot = Enumerable.Range(0, reassignable.Count).Select(i => values.Get((uint)i)).ToArray();
                var assignments = string.Concat(reassignable.Select((name, i) => $"{name} = arguments[{i}]; "));
                _restore = _engine.Evaluate($"(function () {{ {assignments}}})");
            }
        }

        while (pending.Count > 0)
        {
            Freeze(pending.Pop(), pending);
        }
    }

    /// <summary>Puts the rule's top-level bindings back to their values after the top level.</summary>
    public void BeginRow()
    {
        if (_restore is not null)
        {
            _engine.Call(_restore, JsValue.Undefined, _snapshot);
        }
    }

    private void Freeze(ObjectInstance obj, Stack<ObjectInstance> pending)
    {
        foreach (var key in obj.GetOwnPropertyKeys(Types.String | Types.Symbol))
        {
            var descriptor = obj.GetOwnProperty(key);
            if (descriptor.IsAccessorDescriptor())
            {
                Push(pending, descriptor.Get);
                Push(pending, descriptor.Set);
            }
            else
            {
                Push(pending, descriptor.Value);
            }
        }

        Push(pending, obj.Prototype);
        obj.PreventExtensions();

        // replace() and test() write lastIndex of a global pattern; a frozen one would make them throw.
        var regExp = obj is JsRegExp;
        foreach (var key in obj.GetOwnPropertyKeys(Types.String | Types.Symbol))
        {
            var descriptor = obj.GetOwnProperty(key);
            if (descriptor.IsAccessorDescriptor())
            {
                obj.DefineOwnProperty(key, new GetSetPropertyDescriptor(descriptor.Get, descriptor.Set, descriptor.Enumerable, configurable: false));
            }
            else if (!(regExp && key is JsString && key.ToString() == "lastIndex"))
            {
                obj.DefineOwnProperty(key, new PropertyDescriptor(descriptor.Value, writable: false, descriptor.Enumerable, configurable: false));
            }
        }
    }

    private void Push(Stack<ObjectInstance> pending, JsValue? value)
    {
        if (value is ObjectInstance obj && _frozen.Add(obj))
        {
            pending.Push(obj);
        }
    }

    private JsValue CallUnlessFrozen(JsValue thisObject, JsValue[] arguments, JsValue original, string name)
    {
        if (thisObject is ObjectInstance obj && _frozen.Contains(obj))
        {
            throw new JavaScriptException(_engine.Intrinsics.TypeError, $"{name}: values made at the top level of a rule are read-only while rows run, so one row cannot change what the next one sees");
        }

        return _engine.Call(original, thisObject, arguments);
    }

    /// <summary>The names the rule's top level binds: those it may reassign, and its constants.</summary>
    private static (List<string> Reassignable, List<string> Constants) TopLevelNames(Script program)
    {
        var reassignable = new List<string>();
        var constants = new List<string>();
        foreach (var statement in program.Body)
        {
            switch (statement)
            {
                case VariableDeclaration variables:
                    var target = variables.Kind == VariableDeclarationKind.Const ? constants : reassignable;
                    foreach (var declarator in variables.Declarations)
                    {
                        BoundNames(declarator.Id, target);
                    }

                    break;
                case FunctionDeclaration { Id: { } id }:
                    // Frozen rather than put back each row: reassigning a declared function is no real use, and
                    // most rules have nothing else at the top level, so they pay nothing per row.
                    constants.Add(id.Name);
                    break;
                case ClassDeclaration { Id: { } id }:
                    reassignable.Add(id.Name);
                    break;
            }
        }

        // A var inside a top-level block or loop (for (var i ...)) is a global binding too.
        var vars = new NestedVars();
        foreach (var statement in program.Body.Where(s => s is not VariableDeclaration and not FunctionDeclaration))
        {
            vars.Visit(statement);
        }

        reassignable.AddRange(vars.Names);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return (reassignable.Where(seen.Add).ToList(), constants.Where(seen.Add).ToList());
    }

    /// <summary>Names of var declarations outside any function.</summary>
    private sealed class NestedVars : AstVisitor
    {
        public List<string> Names { get; } = [];

        protected override object? VisitVariableDeclaration(VariableDeclaration node)
        {
            if (node.Kind == VariableDeclarationKind.Var)
            {
                foreach (var declarator in node.Declarations)
                {
                    BoundNames(declarator.Id, Names);
                }
            }

            return base.VisitVariableDeclaration(node);
        }

        protected override object? VisitFunctionDeclaration(FunctionDeclaration node) => node;

        protected override object? VisitFunctionExpression(FunctionExpression node) => node;

        protected override object? VisitArrowFunctionExpression(ArrowFunctionExpression node) => node;

        protected override object? VisitClassBody(ClassBody node) => node;
    }

    private static void BoundNames(Node? pattern, List<string> names)
    {
        switch (pattern)
        {
            case Identifier identifier:
                names.Add(identifier.Name);
                break;
            case ArrayPattern array:
                foreach (var element in array.Elements)
                {
                    BoundNames(element, names);
                }

                break;
            case ObjectPattern obj:
                foreach (var property in obj.Properties)
                {
                    BoundNames(property is Property p ? p.Value : property, names);
                }

                break;
            case AssignmentPattern assignment:
                BoundNames(assignment.Left, names);
                break;
            case RestElement rest:
                BoundNames(rest.Argument, names);
                break;
        }
    }
}
