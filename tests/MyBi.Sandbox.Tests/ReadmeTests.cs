using System.Text.RegularExpressions;

namespace MyBi.Sandbox.Tests;

/// <summary>The READMEs are read in a clone, on any machine: every link and path they give must lie inside it.</summary>
public sealed partial class ReadmeTests
{
    [Fact]
    public void Readmes_LinksAndDocumentPaths_ResolveInsideTheRepository()
    {
        var root = RepositoryRoot();
        var problems = new List<string>();
        var readmes = Directory.EnumerateFiles(root, "README.md", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(root, p).Split(Path.DirectorySeparatorChar).Any(s => s is "artifacts" or "bin" or "obj" or "node_modules" || s.StartsWith('.')))
            .ToList();
        Assert.Contains(readmes, p => p.EndsWith(Path.Combine("MyBi.Connectors.YClients.Sandbox", "README.md"), StringComparison.Ordinal));

        foreach (var readme in readmes)
        {
            var name = Path.GetRelativePath(root, readme);
            var text = File.ReadAllText(readme);
            foreach (Match link in LinkTarget().Matches(text))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith('#') || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = target.Split('#')[0];
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(readme)!, path));
                if (Path.IsPathRooted(path) || !resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    || !(File.Exists(resolved) || Directory.Exists(resolved)))
                {
                    problems.Add($"{name}: link '{target}' does not lead to a file of the repository");
                }
            }

            foreach (Match path in AbsoluteDocumentPath().Matches(text))
            {
                problems.Add($"{name}: absolute path '{path.Value}' exists only on one machine");
            }
        }

        Assert.Empty(problems);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MyBiEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MyBiEngine.sln not found above the test output.");
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex LinkTarget();

    // A path such as /home/me/notes.md or /srv/docs/API.md: documents, not device files like /dev/zero.
    [GeneratedRegex(@"(?<![\w.~/-])/[\w.-]+/[\w./-]*\.(?:md|apib|txt|json|yaml)\b")]
    private static partial Regex AbsoluteDocumentPath();
}
