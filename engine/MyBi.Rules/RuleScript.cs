using Acornima;
using Acornima.Ast;
using Jint;
using MyBi.Rules.Internal;

namespace MyBi.Rules;

/// <summary>
/// A rule file, parsed once. It holds no engine state, so one instance serves every <see cref="RuleRunner"/> on
/// every thread.
/// </summary>
public sealed class RuleScript
{
    /// <summary>Rule files larger than this are refused before parsing: parsing itself is not time-limited.</summary>
    public const int MaxSourceLength = 1024 * 1024;

    /// <summary>Rule files larger than this many bytes are refused before reading.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private RuleScript(Prepared<Script> prepared, string displayPath)
    {
        Prepared = prepared;
        DisplayPath = displayPath;
    }

    /// <summary>The name errors use for the file, such as "rules/finance.js".</summary>
    public string DisplayPath { get; }

    internal Prepared<Script> Prepared { get; }

    /// <summary>Reads and parses a rule file; a missing file or a syntax error is a <see cref="RuleException"/>.</summary>
    public static RuleScript Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string source;
        try
        {
            source = RuleFile.Read(path, MaxFileBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new RuleException(path, 0, 0, null, $"cannot read the rule file: {ex.Message}", ex);
        }

        return Parse(source, path);
    }

    /// <summary>Parses rule source; a syntax error is a <see cref="RuleException"/> naming file, line and column.</summary>
    public static RuleScript Parse(string source, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(displayPath);
        if (source.Length > MaxSourceLength)
        {
            throw new RuleException(displayPath, 0, 0, null, $"the rule file has {source.Length} characters; rules are limited to {MaxSourceLength}");
        }

        Prepared<Script> prepared;
        try
        {
            prepared = Engine.PrepareScript(source, displayPath, strict: true);
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is ParseErrorException parse)
        {
            throw new RuleException(displayPath, parse.LineNumber, parse.Column, null, $"SyntaxError: {parse.Description}", ex);
        }
        catch (ParseErrorException parse)
        {
            throw new RuleException(displayPath, parse.LineNumber, parse.Column, null, $"SyntaxError: {parse.Description}", parse);
        }

        // A script may still call import(); the sandbox has no module loader, so say so here, with the place.
        var finder = new ImportFinder();
        finder.Visit(prepared.Program!);
        if (finder.Found is { } import)
        {
            throw new RuleException(displayPath, import.Location.Start.Line, import.Location.Start.Column + 1, null, "import() is not available in rules: a rule is one self-contained file");
        }

        return new RuleScript(prepared, displayPath);
    }

    private sealed class ImportFinder : AstVisitor
    {
        public ImportExpression? Found { get; private set; }

        protected override object? VisitImportExpression(ImportExpression node)
        {
            Found ??= node;
            return node;
        }
    }
}
