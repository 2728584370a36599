using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;

namespace MyBi.Connectors.YClients.Tests.Support;

/// <summary>A connect prompt with answers given in advance; it records what it was asked.</summary>
internal sealed class ScriptedPrompt : ConnectPrompt
{
    private readonly IReadOnlyDictionary<string, string> _answers;

    public ScriptedPrompt(IReadOnlyDictionary<string, string> answers) => _answers = answers;

    public List<(string Key, string Question, bool Secret)> Asked { get; } = [];

    public List<(string Key, IReadOnlyList<string> Options)> Choices { get; } = [];

    public List<string> Said { get; } = [];

    public override ValueTask<string> AskAsync(string key, string question, bool secret, CancellationToken cancellationToken = default)
    {
        Asked.Add((key, question, secret));
        return _answers.TryGetValue(key, out var answer)
            ? ValueTask.FromResult(answer)
            : throw MyBiException.Config($"no answer for {key}");
    }

    public override ValueTask<int> ChooseAsync(string key, string question, IReadOnlyList<string> options, CancellationToken cancellationToken = default)
    {
        Choices.Add((key, options));
        if (!_answers.TryGetValue(key, out var answer))
        {
            return ValueTask.FromResult(0);
        }

        for (var i = 0; i < options.Count; i++)
        {
            if (options[i].Split(' ')[0] == answer)
            {
                return ValueTask.FromResult(i);
            }
        }

        throw MyBiException.Config($"{answer} is not one of the options for {key}");
    }

    public override void Say(string message) => Said.Add(message);
}
