using System.Collections.Concurrent;

namespace MyBi.Connectors.YClients.Sandbox.Http;

/// <summary>Pending two-factor challenges issued by <c>POST /auth</c>.</summary>
internal sealed class TwoFactorChallenges
{
    public const int Attempts = 3;

    private readonly ConcurrentDictionary<string, Challenge> _pending = new(StringComparer.OrdinalIgnoreCase);

    public string Issue(SandboxUser user)
    {
        var uuid = Guid.NewGuid().ToString();
        _pending[uuid] = new Challenge(user.Id, Attempts);
        return uuid;
    }

    public enum Outcome
    {
        Passed,
        WrongCode,
        Unknown,
    }

    /// <summary>Checks a code; a wrong code uses up an attempt and the last one drops the challenge.</summary>
    public Outcome Verify(string uuid, SandboxUser user, string code, out int attemptsLeft)
    {
        attemptsLeft = 0;
        if (!_pending.TryGetValue(uuid, out var challenge) || challenge.UserId != user.Id)
        {
            return Outcome.Unknown;
        }

        if (string.Equals(code, SandboxCredentials.TwoFactorCode, StringComparison.Ordinal))
        {
            _pending.TryRemove(uuid, out _);
            return Outcome.Passed;
        }

        attemptsLeft = challenge.AttemptsLeft - 1;
        if (attemptsLeft <= 0)
        {
            _pending.TryRemove(uuid, out _);
        }
        else
        {
            _pending[uuid] = challenge with { AttemptsLeft = attemptsLeft };
        }

        return Outcome.WrongCode;
    }

    private sealed record Challenge(long UserId, int AttemptsLeft);
}
