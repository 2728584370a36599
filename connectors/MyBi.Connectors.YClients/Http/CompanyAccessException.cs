using MyBi.Abstractions.Errors;

namespace MyBi.Connectors.YClients.Http;

/// <summary>
/// A Config error that concerns one company only (no rights, company not found): with several companies the
/// others still load.
/// </summary>
internal sealed class CompanyAccessException : MyBiException
{
    public CompanyAccessException(long? companyId, string message)
        : base(FailureKind.Config, message)
    {
        CompanyId = companyId;
    }

    public long? CompanyId { get; }

    /// <summary>The same error as the contract's own type, for when it ends the read.</summary>
    public MyBiException ToPublic() => new(Kind, Message, this) { Stream = Stream, Detail = Detail };
}
