namespace MyBi.Abstractions.Connectors;

/// <summary>What a check of one part of a source found (<see cref="SourceSession.CheckAsync"/>): an account, a company.</summary>
public sealed class SourceCheck
{
    /// <summary>Creates a finding.</summary>
    public SourceCheck(string subject, bool works, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(message);
        Subject = subject;
        Works = works;
        Message = message;
    }

    /// <summary>What was checked, for example <c>company 100001 (Salon)</c>.</summary>
    public string Subject { get; }

    /// <summary>Whether everything the pipeline needs of it works.</summary>
    public bool Works { get; }

    /// <summary>One line: what works, or what is missing and how to fix it.</summary>
    public string Message { get; }
}
