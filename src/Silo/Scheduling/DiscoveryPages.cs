using System.Globalization;
using System.Text.Json.Nodes;
using Sources.Silo.Probing;

namespace Sources.Silo.Scheduling;

/// <summary>
/// Cuts a probe's discovery into pages: at most <see cref="MaxEntries"/> tables (collections,
/// tools) and about <see cref="MaxPageChars"/> characters each. The first page is the discovery
/// kept with the source and answered with its probe; with a <c>next_cursor</c> when there are
/// more, which the source's grain stores (<see cref="ProbeResult.MorePages"/>) for
/// <c>GET /api/v1/sources/{id}/schema/</c>. A trial keeps nothing, so its first page says
/// <c>truncated</c> instead. A single table too large for a page keeps the columns that fit and
/// says <c>columns_truncated</c>.
/// </summary>
public static class DiscoveryPages
{
    public const int MaxEntries = 100;
    public const int MaxPageChars = 256 * 1024;

    /// <summary>The smallest entry (<c>{"name":"x"}</c>): a shorter discovery cannot hold more than one page.</summary>
    private const int MinEntryChars = 12;

    /// <summary>Room kept on each page for its kind and its cursor.</summary>
    private const int PageFrame = 128;

    public static ProbeResult Split(ProbeResult result, bool keepsPages)
    {
        if (result.DiscoveryJson is not { Length: > MaxEntries * MinEntryChars } json
            || JsonNode.Parse(json) is not JsonObject root
            || root["kind"]?.GetValue<string>() is not { } kind
            || ListOf(kind) is not { } listName
            || root[listName] is not JsonArray list)
            return result;
        if (list.Count <= MaxEntries && json.Length <= MaxPageChars)
            return result;

        var entries = list.ToList();
        list.Clear();
        var overhead = root.ToJsonString().Length;
        var pages = Pack(entries.Cast<JsonObject>().ToList(), Math.Max(MaxPageChars / 2, MaxPageChars - overhead));
        foreach (var entry in pages[0])
            list.Add(entry);
        if (pages.Count == 1)
            return result with { DiscoveryJson = root.ToJsonString() };
        if (!keepsPages)
        {
            root["truncated"] = true;
            return result with { DiscoveryJson = root.ToJsonString() };
        }
        root["next_cursor"] = Cursor(result.CheckedAt, 2);
        var more = new string[pages.Count - 1];
        for (var i = 1; i < pages.Count; i++)
        {
            var page = new JsonObject { ["kind"] = kind, [listName] = new JsonArray([.. pages[i]]) };
            if (i + 1 < pages.Count)
                page["next_cursor"] = Cursor(result.CheckedAt, i + 2);
            more[i - 1] = page.ToJsonString();
        }
        return result with { DiscoveryJson = root.ToJsonString(), MorePages = more };
    }

    /// <summary>Whether a kept discovery has pages past its first.</summary>
    public static bool HasMore(ProbeResult? result) =>
        result?.DiscoveryJson is { } json && json.Contains("\"next_cursor\":", StringComparison.Ordinal);

    /// <summary>The cursor of page <paramref name="page"/> of the check at <paramref name="checkedAt"/>: its time in Unix milliseconds, a dot, the page.</summary>
    public static string Cursor(DateTimeOffset checkedAt, int page) =>
        checkedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "." + page.ToString(CultureInfo.InvariantCulture);

    /// <summary>The check time (Unix milliseconds) and page a cursor names; null for anything that is no cursor.</summary>
    public static (long CheckedAt, int Page)? ParseCursor(string cursor)
    {
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !long.TryParse(cursor.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var checkedAt)
            || !int.TryParse(cursor.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var page)
            || page < 2)
            return null;
        return (checkedAt, page);
    }

    private static string? ListOf(string kind) => kind switch
    {
        "relational" or "files" => "tables",
        "document" => "collections",
        "tools" => "tools",
        _ => null,
    };

    private static List<List<JsonObject>> Pack(List<JsonObject> entries, int firstBudget)
    {
        var pages = new List<List<JsonObject>> { new() };
        var chars = 0;
        foreach (var entry in entries)
        {
            var budget = (pages.Count == 1 ? firstBudget : MaxPageChars) - PageFrame;
            var length = Shrink(entry, budget);
            if (pages[^1].Count == MaxEntries || (pages[^1].Count > 0 && chars + length + 1 > budget))
            {
                pages.Add([]);
                chars = 0;
            }
            pages[^1].Add(entry);
            chars += length + 1;
        }
        return pages;
    }

    /// <summary>An entry's length once it fits <paramref name="budget"/>: a table too wide for a page loses its last columns.</summary>
    private static int Shrink(JsonObject entry, int budget)
    {
        var length = entry.ToJsonString().Length;
        if (length <= budget || entry["columns"] is not JsonArray columns)
            return length;
        var widths = columns.Select(c => c?.ToJsonString().Length + 1 ?? 5).ToList();
        var keep = columns.Count;
        var over = length - budget + "\"columns_truncated\":true,".Length;
        while (keep > 0 && over > 0)
            over -= widths[--keep];
        while (columns.Count > keep)
            columns.RemoveAt(columns.Count - 1);
        entry["columns_truncated"] = true;
        return entry.ToJsonString().Length;
    }
}
