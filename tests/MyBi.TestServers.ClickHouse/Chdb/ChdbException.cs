using System.Globalization;
using System.Text.RegularExpressions;

namespace MyBi.TestServers.ClickHouse.Chdb;

/// <summary>An error chDB reported, with the ClickHouse error code parsed from its "Code: N." prefix.</summary>
internal sealed partial class ChdbException : Exception
{
    public ChdbException(string message)
        : base(message)
    {
        var match = CodePattern().Match(message);
        Code = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 1000;
    }

    public ChdbException(int code, string name, string message)
        : base($"Code: {code}. DB::Exception: {message}. ({name})")
    {
        Code = code;
    }

    public ChdbException()
        : this("Code: 1000. DB::Exception: Unknown chDB failure. (POCO_EXCEPTION)")
    {
    }

    public ChdbException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = 1000;
    }

    /// <summary>The ClickHouse error code (ErrorCodes.cpp).</summary>
    public int Code { get; }

    [GeneratedRegex(@"^\s*Code:\s*(\d+)\.")]
    private static partial Regex CodePattern();
}
