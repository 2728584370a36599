using MyBi.Destinations.Postgres.Internal;

namespace MyBi.Destinations.Postgres.Tests.Internal;

public sealed class ReadOnlyQueryTests
{
    [Theory]
    [InlineData("SELECT 1", 1)]
    [InlineData("SELECT 1;", 1)]
    [InlineData("SELECT 1; ; -- done", 1)]
    [InlineData("SELECT 1; SELECT 2", 2)]
    [InlineData("SELECT 'a;b'", 1)]
    [InlineData("SELECT 'it''s; fine'", 1)]
    [InlineData("SELECT E'\\'; DROP TABLE x; --'", 1)]
    [InlineData("SELECT \"semi;colon\" FROM t", 1)]
    [InlineData("SELECT $$;$$, $tag$ $$; $tag$", 1)]
    [InlineData("SELECT 1 /* ; /* nested ; */ ; */", 1)]
    [InlineData("SELECT 1 -- ; \n; SELECT 2", 2)]
    [InlineData("SELECT $1; DROP TABLE x", 2)]
    [InlineData("SELECT a$b$c FROM t; DROP TABLE x", 2)]
    public void Split_Sql_CountsTopLevelStatements(string sql, int expected)
    {
        var statements = ReadOnlyQuery.Split(sql);

        Assert.NotNull(statements);
        Assert.Equal(expected, statements.Count);
    }

    [Theory]
    [InlineData("SELECT 'open")]
    [InlineData("SELECT $x$ open")]
    [InlineData("SELECT /* open")]
    public void Split_Unterminated_ReturnsNull(string sql)
    {
        Assert.Null(ReadOnlyQuery.Split(sql));
    }

    [Theory]
    [InlineData("select 1", "Cursor")]
    [InlineData("  -- c\n WITH x AS (SELECT 1) SELECT * FROM x", "Cursor")]
    [InlineData("(SELECT 1) UNION (SELECT 2)", "Cursor")]
    [InlineData("VALUES (1)", "Cursor")]
    [InlineData("TABLE t", "Cursor")]
    [InlineData("EXPLAIN SELECT 1", "Direct")]
    [InlineData("show search_path", "Direct")]
    [InlineData("INSERT INTO t VALUES (1)", "Refused")]
    [InlineData("BEGIN", "Refused")]
    [InlineData("", "Refused")]
    [InlineData("SELECT 1; SELECT 2", "Refused")]
    public void Classify_Statement_AllowsOnlyReadingKeywords(string sql, string expected)
    {
        Assert.Equal(expected, ReadOnlyQuery.Classify(sql, out _, out _).ToString());
    }
}
