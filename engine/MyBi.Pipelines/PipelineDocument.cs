using MyBi.Pipelines.Internal;
using MyBi.Pipelines.Internal.Validation;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace MyBi.Pipelines;

/// <summary>
/// A parsed pipeline file that remembers where each value is written, so that checks made later (against a
/// connector's config schema, a stream's filters) report positions in the file just like the file's own schema.
/// </summary>
public sealed class PipelineDocument
{
    private readonly PathIndex _index;
    private readonly IReadOnlyList<string> _unresolvedPaths;

    internal PipelineDocument(string file, JToken root, PathIndex index, IReadOnlyList<string> unresolvedPaths)
    {
        File = file;
        Root = root;
        _index = index;
        _unresolvedPaths = unresolvedPaths;
    }

    /// <summary>The file as named in error messages.</summary>
    public string File { get; }

    internal JToken Root { get; }

    /// <summary>
    /// Validates the value at <paramref name="path"/> (e.g. <c>source.config</c>, <c>source.filters.records</c>)
    /// against a JSON Schema given as text, and returns every violation positioned in the file. A path the file
    /// does not contain is validated as an empty mapping, so required keys are still reported. Validation changes
    /// nothing: the secrets the schema marks are read with <see cref="SecretValues"/>.
    /// </summary>
    public IReadOnlyList<PipelineDiagnostic> Validate(string path, string jsonSchemaText)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(jsonSchemaText);
        if (!SchemaCache.TryGet(jsonSchemaText, out var schema, out var problem))
        {
            return [ErrorAt(path, "cannot be checked: " + problem)];
        }

        return Validate(path, schema!);
    }

    /// <summary>
    /// The values at <paramref name="path"/> of keys that the JSON Schema given as text marks <c>"x-secret": true</c>
    /// (with a connection string's password on its own); empty when the schema cannot be read.
    /// </summary>
    public IReadOnlyCollection<string> SecretValues(string path, string jsonSchemaText)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(jsonSchemaText);
        var secrets = new SecretSet();
        if (SchemaCache.TryGet(jsonSchemaText, out var schema, out _) && _index.Find(path)?.Token is { } token)
        {
            SecretCollector.Collect(schema!, token, secrets);
        }

        return [.. secrets];
    }

    /// <summary>
    /// The text at <paramref name="path"/> when it is a string, even in a file with errors elsewhere: later checks
    /// (such as the connector's config schema) still run, so that every mistake is reported in one pass.
    /// </summary>
    public string? TryGetString(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _index.Find(path)?.Token is JValue { Type: JTokenType.String } value ? (string?)value.Value : null;
    }

    /// <summary>An error positioned at the value at <paramref name="path"/>, or at its nearest ancestor that the file contains.</summary>
    public PipelineDiagnostic ErrorAt(string path, string message)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(message);
        return ErrorAt(path, message, ProblemAnchor.Node);
    }

    internal IReadOnlyList<PipelineDiagnostic> Validate(string path, JsonSchema schema)
    {
        // A value from the document reports absolute paths (the validator uses its place in the tree); the empty
        // stand-in for a missing value stands alone, so its paths are relative to the requested one.
        var location = _index.Find(path);
        var token = location?.Token ?? new JObject();
        var prefix = location is null ? path : DocumentPath.Root;
        var translator = new SchemaErrorTranslator(prefix, p => _index.Find(p)?.Token);
        ICollection<NJsonSchema.Validation.ValidationError> found;
        var tooLarge = new List<PipelineDiagnostic>();
        try
        {
            found = schema.Validate(token);
        }
        catch (InvalidCastException)
        {
            // The validator cannot compare an integer beyond 64 bits with a minimum or maximum. Such a value is
            // unusable wherever a schema constrains it, so name each one and check the rest with them clamped.
            tooLarge.AddRange(_index.Where(IsHuge)
                .Where(entry => location is not null && DocumentPath.IsWithin(entry.Path, path))
                .Select(entry => ErrorAt(entry.Path, "the integer is beyond the 64-bit range (-9223372036854775808 to 9223372036854775807)")));
            found = schema.Validate(Clamped(token));
        }

        var errors = translator.Translate(found)
            .Where(problem => problem.Anchor == ProblemAnchor.Key || !IsUnresolved(problem.Path))
            .Select(problem => ErrorAt(problem.Path, problem.Message, problem.Anchor));
        return Sort(errors.Concat(tooLarge));
    }

    private static bool IsHuge(JToken token) => token is JValue { Value: System.Numerics.BigInteger };

    private static JToken Clamped(JToken token)
    {
        var copy = token.DeepClone();
        var all = copy is JContainer container ? container.DescendantsAndSelf() : [copy];
        foreach (var value in all.OfType<JValue>().Where(IsHuge).ToList())
        {
            value.Value = (System.Numerics.BigInteger)value.Value! > 0 ? long.MaxValue : long.MinValue;
        }

        return copy;
    }

    /// <summary>A value with an unset variable is already reported; what a schema thinks of its stand-in is noise.</summary>
    private bool IsUnresolved(string path) => _unresolvedPaths.Any(unresolved => DocumentPath.IsWithin(path, unresolved));

    internal PipelineDiagnostic ErrorAt(string path, string message, ProblemAnchor anchor)
    {
        var position = PositionOf(path, anchor);
        return new PipelineDiagnostic(File, position.Line, position.Column, DocumentPath.Display(path), message);
    }

    internal PipelineDiagnostic ErrorAt(string path, TextPosition position, string message) =>
        new(File, position.Line, position.Column, DocumentPath.Display(path), message);

    internal TextPosition PositionOf(string path, ProblemAnchor anchor = ProblemAnchor.Node)
    {
        var target = anchor == ProblemAnchor.Parent ? DocumentPath.Parent(path) ?? DocumentPath.Root : path;
        var (found, location) = _index.FindNearest(target);
        if (location is null)
        {
            return TextPosition.Start;
        }

        return anchor == ProblemAnchor.Key && found == target ? location.Key ?? location.Node : location.Node;
    }

    /// <summary>Orders errors by position and drops exact repeats (several schema branches can report the same thing).</summary>
    internal static IReadOnlyList<PipelineDiagnostic> Sort(IEnumerable<PipelineDiagnostic> errors) =>
        errors.DistinctBy(e => (e.Line, e.Column, e.Path, e.Message))
            .OrderBy(e => e.Line)
            .ThenBy(e => e.Column)
            .ToList();
}
