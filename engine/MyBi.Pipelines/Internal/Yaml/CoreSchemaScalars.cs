using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal.Yaml;

/// <summary>
/// Types plain (unquoted) scalars as the YAML 1.2 core schema does: null, booleans, integers (decimal, 0o octal,
/// 0x hex) and floats; everything else is a string. Quoted scalars never come here: they are always strings.
/// </summary>
internal static partial class CoreSchemaScalars
{
    public static bool IsNull(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The typed value, or <see langword="null"/> when the text is an infinite or NaN float (not representable in JSON).</summary>
    public static JToken? Resolve(string text)
    {
        if (IsNull(text))
        {
            return JValue.CreateNull();
        }

        switch (text)
        {
            case "true" or "True" or "TRUE":
                return new JValue(true);
            case "false" or "False" or "FALSE":
                return new JValue(false);
        }

        if (DecimalInteger().IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var small))
            {
                return new JValue(small);
            }

            return new JValue(BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        if (OctalInteger().IsMatch(text) && TryParseRadix(text[2..], 8, out var octal))
        {
            return new JValue(octal);
        }

        if (HexInteger().IsMatch(text) && long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex >= 0)
        {
            return new JValue(hex);
        }

        if (Float().IsMatch(text))
        {
            return new JValue(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        if (SpecialFloat().IsMatch(text))
        {
            return null;
        }

        return new JValue(text);
    }

    private static bool TryParseRadix(string digits, int radix, out long value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (value > (long.MaxValue - (digit - '0')) / radix)
            {
                return false;
            }

            value = (value * radix) + (digit - '0');
        }

        return true;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^0o[0-7]+$")]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"^0x[0-9a-fA-F]+$")]
    private static partial Regex HexInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.nan|\.NaN|\.NAN)$")]
    private static partial Regex SpecialFloat();
}
