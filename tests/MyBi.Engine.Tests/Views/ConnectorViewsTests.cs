using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Views;

namespace MyBi.Engine.Tests.Views;

public sealed class ConnectorViewsTests
{
    private static readonly HashSet<string> s_streams = ["records", "record_services"];

    private static ViewDescriptor View(string name, string sql) => new() { Name = name, Sql = sql };

    [Fact]
    public void Plan_ViewsOverLoadedStreamsAndEarlierViews_AreKeptInOrder()
    {
        var views = new[]
        {
            View("v_a", "SELECT r.id AS id, SUM(s.cost) AS cost FROM {records} r JOIN (SELECT record_id, cost FROM {record_services}) s ON s.record_id = r.id GROUP BY r.id"),
            View("v_b", "SELECT COUNT(*) AS n, COALESCE(MAX(a.cost), 0) AS top FROM {v_a} a"),
        };

        var planned = ConnectorViews.Plan(views, s_streams, s_streams);

        Assert.Equal(["v_a", "v_b"], planned.Select(v => v.Name));
    }

    [Fact]
    public void Plan_ViewOverAStreamThePipelineDoesNotLoad_IsSkippedWithTheViewsOnTopOfIt()
    {
        var views = new[]
        {
            View("v_a", "SELECT s.record_id AS id FROM {record_services} s"),
            View("v_b", "SELECT a.id AS id FROM {v_a} a"),
            View("v_c", "SELECT r.id AS id FROM {records} r"),
        };

        var planned = ConnectorViews.Plan(views, s_streams, new HashSet<string> { "records" });

        Assert.Equal(["v_c"], planned.Select(v => v.Name));
    }

    [Theory]
    [InlineData("SELECT * FROM _mybi_runs")]
    [InlineData("SELECT r.id FROM {records} r JOIN _mybi_state s ON s.pipeline = r.id")]
    [InlineData("SELECT r.id FROM other.records r")]
    [InlineData("SELECT r.id FROM {records} r, secrets")]
    [InlineData("SELECT r.id FROM {records} r; DROP TABLE records")]
    [InlineData("SELECT pg_read_file('/etc/passwd') AS x FROM {records} r")]
    [InlineData("SELECT x.a FROM read_csv('/etc/passwd') x")]
    [InlineData("SELECT r.id FROM \"records\" r")]
    [InlineData("SELECT r.id FROM {records} r -- JOIN")]
    [InlineData("SELECT r.id FROM {clients} r")]
    public void Plan_SqlThatCouldReachAnythingButItsStreams_IsTheConnectorsBug(string sql)
    {
        var error = Assert.Throws<MyBiException>(() => ConnectorViews.Plan([View("v_bad", sql)], s_streams, s_streams));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("v_bad", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_mybi_runs")]
    [InlineData("records")]
    [InlineData("V_Upper")]
    public void Plan_ViewNamedLikeAnEngineTableOrAStream_IsRefused(string name)
    {
        Assert.Throws<MyBiException>(() => ConnectorViews.Plan([View(name, "SELECT r.id AS id FROM {records} r")], s_streams, s_streams));
    }
}
