using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Common;
using Sources.Silo.Scheduling;
using RelationalDiscovery = Sources.Contracts.RelationalDiscovery;

namespace Sources.Probing.Tests.Discovery;

/// <summary>What a check lists (tables, columns) and how its discovery is cut into pages.</summary>
public sealed class DiscoveryBoundsTests
{
    private static readonly DateTimeOffset CheckedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_767_268_800_123);

    private static List<TableRow> Tables(int count) =>
        Enumerable.Range(0, count).Select(i => new TableRow(null, "public", $"t{i:D4}", "table")).ToList();

    private static ProbeResult Relational(int tables, int columnsEach)
    {
        var rows = Tables(tables);
        var columns = rows.SelectMany(t => Enumerable.Range(0, columnsEach).Select(c => new ColumnRow(null, "public", t.Name, $"c{c}", "integer", true, c == 0))).ToList();
        var discovery = DiscoveredTables.Discovery([new("schemas", DiscoveryJson.Strings(["public"]))], rows, columns);
        return ProbeResult.Succeeded("16", discovery.ToJsonString(), []) with { CheckedAt = CheckedAt };
    }

    [Fact]
    public void Columns_past_the_bound_are_dropped_and_the_tables_they_belonged_to_say_so()
    {
        var tables = Tables(3);
        var columns = Enumerable.Range(0, DiscoveredTables.ColumnQueryLimit)
            .Select(i => new ColumnRow(null, "public", i < 10 ? "t0000" : "t0001", $"c{i}", "text", true, false)).ToList();

        var (built, truncated) = DiscoveredTables.Build(tables, columns);

        Assert.True(truncated);
        Assert.Equal(10, built[0]!["columns"]!.AsArray().Count);
        Assert.Null(built[0]!["columns_truncated"]);
        Assert.Equal(DiscoveredTables.MaxColumns - 10, built[1]!["columns"]!.AsArray().Count);
        Assert.True(built[1]!["columns_truncated"]!.GetValue<bool>());
        Assert.True(built[2]!["columns_truncated"]!.GetValue<bool>());
    }

    [Fact]
    public void A_listing_cut_at_the_table_bound_says_it_is_truncated()
    {
        var (_, truncated) = DiscoveredTables.Build(Tables(DiscoveryJson.MaxTables), []);
        var (_, whole) = DiscoveredTables.Build(Tables(DiscoveryJson.MaxTables - 1), []);

        Assert.True(truncated);
        Assert.False(whole);
    }

    [Fact]
    public void A_small_discovery_is_one_page_and_stays_as_it_is()
    {
        var result = Relational(DiscoveryPages.MaxEntries, 3);

        var split = DiscoveryPages.Split(result, keepsPages: true);

        Assert.Same(result, split);
    }

    [Fact]
    public void A_large_discovery_is_cut_into_pages_each_with_the_cursor_of_the_next()
    {
        var split = DiscoveryPages.Split(Relational(250, 3), keepsPages: true);

        var first = DiscoveryAnswers.Read<RelationalDiscovery>(split);
        Assert.Equal(DiscoveryPages.MaxEntries, first.Tables.Count);
        Assert.Equal(["public"], first.Schemas);
        Assert.Equal("1767268800123.2", first.NextCursor);
        var pages = Assert.IsType<string[]>(split.MorePages);
        Assert.Equal(2, pages.Length);
        Assert.All(pages, p => Assert.Empty(DiscoveryAnswers.Errors(p)));
        var second = (RelationalDiscovery)Sources.Contracts.Discovery.Parse(System.Text.Encoding.UTF8.GetBytes(pages[0])).Value!;
        var third = (RelationalDiscovery)Sources.Contracts.Discovery.Parse(System.Text.Encoding.UTF8.GetBytes(pages[1])).Value!;
        Assert.Equal("1767268800123.3", second.NextCursor);
        Assert.Null(third.NextCursor);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"t{i:D4}"), first.Tables.Concat(second.Tables).Concat(third.Tables).Select(t => t.Name));
        Assert.Equal((2L, 1767268800123L), (DiscoveryPages.ParseCursor("1767268800123.2")!.Value.Page, DiscoveryPages.ParseCursor("1767268800123.2")!.Value.CheckedAt));
    }

    [Fact]
    public void Pages_are_cut_by_size_too_and_a_table_too_wide_for_a_page_keeps_the_columns_that_fit()
    {
        var split = DiscoveryPages.Split(Relational(3, 8_000), keepsPages: true);

        var pages = new[] { split.DiscoveryJson! }.Concat(split.MorePages ?? []).ToList();
        Assert.All(pages, p => Assert.True(p.Length <= DiscoveryPages.MaxPageChars, $"a page of {p.Length} characters"));
        Assert.All(pages, p => Assert.Empty(DiscoveryAnswers.Errors(p)));
        var tables = pages.SelectMany(p => JsonNode.Parse(p)!["tables"]!.AsArray()).ToList();
        Assert.Equal(3, tables.Count);
        Assert.All(tables, t => Assert.True(t!["columns_truncated"]!.GetValue<bool>()));
        Assert.All(tables, t => Assert.InRange(t!["columns"]!.AsArray().Count, 1, 7_999));
    }

    [Fact]
    public void A_trial_keeps_no_pages_so_its_first_page_says_it_is_truncated()
    {
        var split = DiscoveryPages.Split(Relational(250, 1), keepsPages: false);

        var first = DiscoveryAnswers.Read<RelationalDiscovery>(split);
        Assert.Null(split.MorePages);
        Assert.Null(first.NextCursor);
        Assert.True(first.Truncated);
        Assert.Equal(DiscoveryPages.MaxEntries, first.Tables.Count);
    }

    [Fact]
    public void The_spec_check_refuses_a_table_without_its_columns_and_an_unknown_kind()
    {
        Assert.NotEmpty(DiscoveryAnswers.Errors("""{"kind":"relational","tables":[{"name":"t","kind":"table"}]}"""));
        Assert.NotEmpty(DiscoveryAnswers.Errors("""{"kind":"relational","tables":[{"name":"t","kind":"table","columns":[{"name":"c","type":"int","nullable":"yes","primary_key":false}]}]}"""));
        Assert.Empty(DiscoveryAnswers.Errors("""{"kind":"relational","tables":[{"name":"t","kind":"table","columns":[{"name":"c","type":"int","nullable":true,"primary_key":false}]}]}"""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("123.1")]
    [InlineData("abc.2")]
    [InlineData("123.-2")]
    [InlineData(".2")]
    public void Anything_but_a_cursor_of_a_later_page_is_no_cursor(string text) => Assert.Null(DiscoveryPages.ParseCursor(text));
}
