using System.Text;
using System.Text.RegularExpressions;

namespace MyBi.Pipelines.Internal;

/// <summary>
/// Expands <c>${VAR}</c> and <c>${VAR:-default}</c> (the default applies when the variable is unset or empty) in
/// scalar text; <c>$${</c> stands for a literal <c>${</c>. A variable that is unset and has no default is a problem.
/// </summary>
internal static partial class EnvironmentSubstitution
{
    public static SubstitutionResult Apply(string text, Func<string, string?> environment)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return new SubstitutionResult(text, false, [], []);
        }

        var builder = new StringBuilder(text.Length);
        var problems = new List<SubstitutionProblem>();
        var used = new List<string>();
        var references = 0;
        var whole = false;
        var i = 0;
        while (i < text.Length)
        {
            if (IsAt(text, i, "$${"))
            {
                builder.Append("${");
                i += 3;
                continue;
            }

            if (!IsAt(text, i, "${"))
            {
                builder.Append(text[i]);
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                problems.Add(new SubstitutionProblem(i, "'${' has no closing '}'; write $${ for a literal ${"));
                builder.Append(text, i, text.Length - i);
                break;
            }

            references++;
            whole = i == 0 && close == text.Length - 1;
            var body = text.AsSpan(i + 2, close - i - 2);
            var separator = body.IndexOf(":-", StringComparison.Ordinal);
            var name = (separator >= 0 ? body[..separator] : body).ToString();
            var fallback = separator >= 0 ? body[(separator + 2)..].ToString() : null;
            if (!VariableName().IsMatch(name))
            {
                problems.Add(new SubstitutionProblem(i, "${...} must name an environment variable: letters, digits and '_', not starting with a digit"));
            }
            else
            {
                var value = environment(name);
                if (string.IsNullOrEmpty(value) && fallback is not null)
                {
                    value = fallback;
                }
                else if (value is null)
                {
                    problems.Add(new SubstitutionProblem(i, $"environment variable {name} is not set", name));
                }
                else
                {
                    used.Add(value);
                }

                builder.Append(value);
            }

            i = close + 1;
        }

        return new SubstitutionResult(builder.ToString(), whole && references == 1 && problems.Count == 0, problems, used);
    }

    private static bool IsAt(string text, int index, string token) =>
        string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
