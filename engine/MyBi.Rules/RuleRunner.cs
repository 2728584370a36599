using System.Text.Json.Nodes;
using Acornima.Ast;
using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Runtime;
using MyBi.Abstractions.Records;
using MyBi.Rules.Internal;

namespace MyBi.Rules;

/// <summary>
/// Runs one rule in its own Jint engine. Create one per run and thread and never share it; share the
/// <see cref="RuleScript"/> instead. The constructor runs the rule's top level once, which declares its tables.
/// </summary>
public sealed class RuleRunner : IDisposable
{
    private static readonly Prepared<Script> s_findTransform =
        Engine.PrepareScript("typeof transform === 'function' ? transform : undefined", "mybi-lookup.js", strict: true);

    private readonly RuleScript _script;
    private readonly SandboxLimits _limits;
    private readonly RuleErrorMode _errorMode;
    private readonly CancellationTokenSource _idleToken = new();
    private readonly BatchBudget _budget = new();
    private readonly Engine _engine;
    private readonly RowEmitter _emitter;
    private readonly JsonToJs _input;
    private readonly JsValue _context;
    private readonly JsValue _transform;
    private readonly RowIsolation _isolation;
    private bool _disposed;

    /// <summary>Creates the sandbox and runs the rule's top level; a broken rule is a <see cref="RuleException"/>.</summary>
    public RuleRunner(RuleScript script, SandboxLimits limits, RuleContext context, RuleErrorMode errorMode = RuleErrorMode.Fail)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(context);
        limits.Validate();
        _script = script;
        _limits = limits;
        _errorMode = errorMode;
        _engine = SandboxEngineFactory.Create(limits, context, _budget, _idleToken.Token);
        try
        {
            var json = new JsJsonWriter(_engine, limits.MaxStringLength);
            _emitter = new RowEmitter(_engine, new ColumnValueConverter(json, limits.MaxStringLength), limits, context);
            _input = new JsonToJs(_engine, limits.MaxStringLength, limits.MaxArrayLength);
            SandboxGuards.Install(_engine, limits.MaxStringLength, json);
            _isolation = RowIsolation.Install(_engine);
            SandboxEngineFactory.DefineGlobalFunction(_engine, "declare", _emitter.Declare, 2);
            SandboxEngineFactory.DefineGlobalFunction(_engine, "emit", _emitter.Emit, 2);
            _context = SandboxEngineFactory.CreateContext(_engine, context);
            _budget.Arm(limits.Timeout, limits.MaxStatements);
            _transform = RunTopLevel();
            _isolation.Seal(script.Prepared.Program ?? throw new InvalidOperationException("A prepared rule has no program."));
            Tables = _emitter.Tables;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The tables the rule declared, in declaration order; the engine creates them before loading.</summary>
    public IReadOnlyList<TableSchema> Tables { get; }

    /// <summary>
    /// Calls <c>transform(row, ctx)</c> for each input row and returns the emitted rows, typed per their tables.
    /// In <see cref="RuleErrorMode.Fail"/> mode any failure throws a <see cref="RuleException"/> and nothing of the
    /// batch is returned; in <see cref="RuleErrorMode.Quarantine"/> mode a failing row is set aside instead.
    /// </summary>
    /// <param name="rows">At most <see cref="SandboxLimits.MaxInputRows"/> input rows.</param>
    /// <param name="keyOf">Names an input row in messages, such as "id=123".</param>
    /// <param name="cancellationToken">Stops the rule between and within rows.</param>
    public RuleBatchResult Run(IReadOnlyList<JsonObject> rows, Func<JsonObject, string> keyOf, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(keyOf);
        if (rows.Count > _limits.MaxInputRows)
        {
            throw new ArgumentException($"A rule batch holds at most {_limits.MaxInputRows} rows (SandboxLimits.MaxInputRows); got {rows.Count}. Split the batch.", nameof(rows));
        }

        cancellationToken.ThrowIfCancellationRequested();
        _engine.Constraints.Find<CancellationConstraint>()?.Reset(cancellationToken);
        _budget.Arm(_limits.Timeout, _limits.MaxStatements);
        _emitter.BeginBatch();
        var skipped = 0;
        var rowErrors = new List<RuleRowError>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"Input row {i} is null.", nameof(rows));
            _emitter.BeginRow();
            try
            {
                _isolation.BeginRow();
                var result = _engine.Call(_transform, JsValue.Undefined, [_input.Convert(row), _context]);
                if (result.IsPromise())
                {
                    throw new RowFailure("transform returned a Promise; rules run synchronously, so transform must not be async");
                }

                _budget.CheckClock();
                if (!_emitter.CommitRow())
                {
                    skipped++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _emitter.AbandonRow();
                if (ex is ExecutionCanceledException)
                {
                    throw new OperationCanceledException("The rule run was canceled.", ex, cancellationToken);
                }

                var key = keyOf(row);
                var error = RuleErrors.Map(ex, _script.DisplayPath, _limits, key, out var perRow);
                if (error is null)
                {
                    throw;
                }

                if (!perRow || _errorMode == RuleErrorMode.Fail)
                {
                    throw error;
                }

                rowErrors.Add(new RuleRowError(key, error.Message, row.ToJsonString()));
            }
        }

        return new RuleBatchResult(_emitter.TakeBatches(), skipped, rowErrors);
    }

    /// <summary>Releases the engine.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _engine?.Dispose();
        _idleToken.Dispose();
    }

    private JsValue RunTopLevel()
    {
        JsValue transform;
        try
        {
            _engine.Execute(_script.Prepared);
            _emitter.EndDeclarations();
            transform = _engine.Evaluate(s_findTransform);
        }
        catch (Exception ex) when (RuleErrors.Map(ex, _script.DisplayPath, _limits, null, out _) is { } error)
        {
            throw error;
        }

        if (transform.IsUndefined())
        {
            throw new RuleException(_script.DisplayPath, 0, 0, null, "the rule defines no function transform(row, ctx); it is called once per input row");
        }

        if (_emitter.Tables.Count == 0)
        {
            throw new RuleException(_script.DisplayPath, 0, 0, null, "the rule declares no table; call declare('name', { columns: { id: 'int64' }, key: ['id'] }) at the top level");
        }

        return transform;
    }
}
