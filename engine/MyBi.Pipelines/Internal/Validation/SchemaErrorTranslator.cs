using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace MyBi.Pipelines.Internal.Validation;

/// <summary>
/// Turns the validator's error tree into flat, positioned problems. The interesting part is <c>oneOf</c>/<c>anyOf</c>:
/// rather than reporting every alternative, it finds the alternative the user evidently meant (the one whose type
/// and discriminator match) and reports only that alternative's problems.
/// </summary>
internal sealed class SchemaErrorTranslator
{
    private readonly string _prefix;
    private readonly Func<string, JToken?> _tokenAt;

    /// <param name="prefix">Prepended to the validator's paths (when the validated value is not part of the document tree).</param>
    /// <param name="tokenAt">Looks up the document's value at a path.</param>
    public SchemaErrorTranslator(string prefix, Func<string, JToken?> tokenAt)
    {
        _prefix = prefix;
        _tokenAt = tokenAt;
    }

    public IEnumerable<SchemaProblem> Translate(IEnumerable<ValidationError> errors) => errors.SelectMany(TranslateOne);

    private IEnumerable<SchemaProblem> TranslateOne(ValidationError error)
    {
        var path = PathOf(error);
        switch (error)
        {
            case MultiTypeValidationError multi:
                return Alternatives(path, multi.Errors.Select(e => new Branch(null, e.Value.ToList())).ToList(), isOneOf: false);
            case ChildSchemaValidationError alternatives when error.Kind is ValidationErrorKind.NotOneOf or ValidationErrorKind.NotAnyOf:
                return Alternatives(path, alternatives.Errors.Select(e => new Branch(e.Key, e.Value.ToList())).ToList(), error.Kind == ValidationErrorKind.NotOneOf);
            case ChildSchemaValidationError nested:
                return nested.Errors.Values.SelectMany(e => e).SelectMany(TranslateOne).ToList();
        }

        switch (error.Kind)
        {
            case ValidationErrorKind.PropertyRequired:
                // The validator checks "required" even when the value is not a mapping; the type error says it all.
                var parent = DocumentPath.Parent(path);
                return parent is not null && _tokenAt(parent) is { } container && container is not JObject
                    ? []
                    : [new SchemaProblem(path, ProblemAnchor.Parent, "is required")];
            case ValidationErrorKind.NoAdditionalPropertiesAllowed:
                return [new SchemaProblem(path, ProblemAnchor.Key, UnknownKey(error))];
            default:
                return [new SchemaProblem(path, ProblemAnchor.Node, SchemaMessages.For(error))];
        }
    }

    private List<SchemaProblem> Alternatives(string path, List<Branch> branches, bool isOneOf)
    {
        if (branches.Count == 0 || branches.Any(b => b.Errors.Count == 0))
        {
            return isOneOf ? [new SchemaProblem(path, ProblemAnchor.Node, "matches more than one of the allowed forms; make it match exactly one")] : [];
        }

        var classified = branches.Select(b => (Branch: b, Miss: Classify(path, b))).ToList();
        var candidates = classified.Where(c => c.Miss is null).Select(c => c.Branch).ToList();
        if (candidates.Count > 1 && candidates.All(b => IsOnlyMissingKeys(path, b)))
        {
            var choices = candidates.Select(b => SchemaMessages.JoinAnd(b.Schema!.ActualSchema.RequiredProperties));
            return [new SchemaProblem(path, ProblemAnchor.Node, "requires " + string.Join(", or ", choices))];
        }

        if (candidates.Count > 0)
        {
            var best = candidates.MinBy(b => Count(b.Errors))!;
            return Translate(best.Errors).ToList();
        }

        var discriminated = classified.Where(c => c.Miss!.Discriminator is not null).ToList();
        if (discriminated.Count > 0)
        {
            var child = discriminated[0].Miss!.Discriminator!;
            var name = discriminated[0].Miss!.Property!;
            var values = string.Join(", ", branches.SelectMany(b => EnumOf(b.Schema, name)).Distinct(StringComparer.Ordinal));
            return discriminated.Any(c => c.Miss!.Missing)
                ? [new SchemaProblem(child, ProblemAnchor.Parent, $"is required; one of: {values}")]
                : [new SchemaProblem(child, ProblemAnchor.Node, $"must be one of: {values}")];
        }

        return [new SchemaProblem(path, ProblemAnchor.Node, "expected " + SchemaMessages.JoinAlternatives(classified.SelectMany(c => c.Miss!.Expected)))];
    }

    /// <summary>Why an alternative is evidently not the one meant: wrong kind of value, or wrong/missing discriminator.</summary>
    private Miss? Classify(string path, Branch branch)
    {
        foreach (var error in branch.Errors)
        {
            if (SchemaMessages.IsTypeMismatch(error) && PathOf(error) == path)
            {
                return new Miss(null, null, false, SchemaMessages.ExpectedKinds(error).ToList());
            }
        }

        if (_tokenAt(path) is { } value && value is not JObject)
        {
            return null;
        }

        foreach (var error in branch.Errors)
        {
            if (error.Kind is ValidationErrorKind.NotInEnumeration or ValidationErrorKind.PropertyRequired
                && branch.Schema is { } schema
                && error.Property is { } property
                && DocumentPath.Parent(PathOf(error)) == path
                && IsDiscriminator(schema, property))
            {
                return new Miss(PathOf(error), property, error.Kind == ValidationErrorKind.PropertyRequired, []);
            }
        }

        return null;
    }

    private bool IsOnlyMissingKeys(string path, Branch branch) =>
        branch.Schema is not null
        && branch.Errors.All(e => e.Kind == ValidationErrorKind.PropertyRequired && DocumentPath.Parent(PathOf(e)) == path);

    private static bool IsDiscriminator(JsonSchema schema, string property)
    {
        var actual = schema.ActualSchema;
        return actual.RequiredProperties.Contains(property)
            && actual.ActualProperties.TryGetValue(property, out var definition)
            && definition.ActualSchema.Enumeration.Count > 0;
    }

    private static IEnumerable<string> EnumOf(JsonSchema? schema, string property) =>
        schema?.ActualSchema.ActualProperties.TryGetValue(property, out var definition) == true
            ? SchemaMessages.EnumValues(definition.ActualSchema)
            : [];

    private static int Count(IEnumerable<ValidationError> errors) =>
        errors.Sum(e => e is ChildSchemaValidationError child ? Math.Max(1, child.Errors.Values.Sum(Count)) : 1);

    private static string UnknownKey(ValidationError error)
    {
        var name = error.Property ?? "";
        var known = error.Schema?.ActualSchema.ActualProperties.Keys.ToList() ?? [];
        if (KeySuggestions.Closest(name, known) is { } suggestion)
        {
            return $"unknown key '{name}'; did you mean '{suggestion}'?";
        }

        return known.Count is > 0 and <= 12
            ? $"unknown key '{name}'; expected one of: {string.Join(", ", known)}"
            : $"unknown key '{name}'";
    }

    private string PathOf(ValidationError error) => DocumentPath.Combine(_prefix, DocumentPath.FromValidator(error.Path));

    private sealed record Branch(JsonSchema? Schema, List<ValidationError> Errors);

    private sealed record Miss(string? Discriminator, string? Property, bool Missing, IReadOnlyList<string> Expected);
}
