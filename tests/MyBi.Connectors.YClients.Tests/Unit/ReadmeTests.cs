using MyBi.Connectors.YClients.Reports;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Tests.Unit;

public sealed class ReadmeTests
{
    private static readonly string s_readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ConnectorReadme", "README.md"));

    [Fact]
    public void Readme_EveryStream_HasASectionListingEveryColumn()
    {
        var catalog = StreamCatalog.Load(AppContext.BaseDirectory);
        foreach (var definition in catalog.Definitions)
        {
            var start = s_readme.IndexOf($"### `{definition.Name}`", StringComparison.Ordinal);
            Assert.True(start >= 0, $"README has no section for {definition.Name}");
            var end = s_readme.IndexOf("\n### ", start + 4, StringComparison.Ordinal);
            var section = end < 0 ? s_readme[start..] : s_readme[start..end];
            foreach (var column in definition.Columns)
            {
                Assert.Contains($"| `{column}` |", section, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Readme_EveryReportType_HasASectionListingEveryFieldAndARowInTheTable()
    {
        var catalog = ReportCatalog.Load(AppContext.BaseDirectory);
        foreach (var definition in catalog.Definitions)
        {
            var start = s_readme.IndexOf($"### Report `{definition.Name}`", StringComparison.Ordinal);
            Assert.True(start >= 0, $"README has no section for report type {definition.Name}");
            var end = s_readme.IndexOf("\n#", start + 4, StringComparison.Ordinal);
            var section = end < 0 ? s_readme[start..] : s_readme[start..end];
            foreach (var field in definition.Fields)
            {
                Assert.Contains($"| `{field}` |", section, StringComparison.Ordinal);
            }

            Assert.Contains($"| `{definition.Name}` | `{definition.Descriptor.KeyField}` |", s_readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Readme_EveryConfigKey_IsDocumented()
    {
        foreach (var key in new[] { "base_url", "partner_token", "user_token", "login", "password", "company_id", "company_ids", "page_size", "lookback_days", "first_run_days", "requests_per_second", "requests_per_minute", "max_retries", "timeout_seconds", "max_response_mb", "max_text_length", "documents" })
        {
            Assert.Contains($"`{key}`", s_readme, StringComparison.Ordinal);
        }
    }
}
