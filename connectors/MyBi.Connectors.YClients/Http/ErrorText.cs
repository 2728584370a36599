namespace MyBi.Connectors.YClients.Http;

/// <summary>What an error message of the API says, for answers whose HTTP status does not tell.</summary>
internal enum ErrorTextKind
{
    Other,
    NotFound,
    CompanyNotFound,
    NoRights,
}

/// <summary>Recognises the Russian error texts YCLIENTS puts in <c>meta.message</c>.</summary>
internal static class ErrorText
{
    public static ErrorTextKind Classify(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return ErrorTextKind.Other;
        }

        if (message.Contains("Филиал не найден", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Не указан филиал", StringComparison.OrdinalIgnoreCase))
        {
            return ErrorTextKind.CompanyNotFound;
        }

        if (message.Contains("Не найден", StringComparison.OrdinalIgnoreCase)
            || message.Contains("не найден", StringComparison.OrdinalIgnoreCase)
            || message.Contains("не существует", StringComparison.OrdinalIgnoreCase))
        {
            return ErrorTextKind.NotFound;
        }

        if (message.Contains("Недостаточно прав", StringComparison.OrdinalIgnoreCase)
            || message.Contains("лиценз", StringComparison.OrdinalIgnoreCase))
        {
            return ErrorTextKind.NoRights;
        }

        return ErrorTextKind.Other;
    }
}
