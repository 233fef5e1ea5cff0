using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;

namespace Sources.Probing.Tests.Files;

/// <summary>
/// A workbook is streamed and capped: a few megabytes of deflated rows, a header wider than the
/// column cap, or a lone cell in Excel's last row under a huge dimension are each refused naming
/// the file, and the other files still import.
/// </summary>
public sealed class XlsxLimitsTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sources-xlsx-" + Guid.NewGuid().ToString("N"));
    private FileHost _host = null!;

    public async Task InitializeAsync() => _host = await FileHost.Start();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private async Task<ProbeResult> Probe(FileSettings files, string filename, byte[] workbook)
    {
        var prober = new FileProber(new FileDownloader(Probes.Loopback, files, Probes.Settings()), files);
        var settings = new JsonObject
        {
            ["file_urls"] = new JsonArray(
                new JsonObject { ["url"] = _host.Put("good.csv", SampleFiles.Csv), ["filename"] = "good.csv" },
                new JsonObject { ["url"] = _host.Put(filename, workbook), ["filename"] = filename }),
        };
        return await prober.Probe(settings, Probes.Context with { Budget = TimeSpan.FromMinutes(2) }, CancellationToken.None);
    }

    [Fact]
    public async Task Megabytes_of_deflated_rows_past_the_cell_cap_are_refused_naming_the_file()
    {
        // A million rows × 20 numbers: 20 million cells (tens of gigabytes as dictionaries of boxed numbers) in a few megabytes.
        var bomb = XlsxBombs.ManyCells(rows: 1_000_000, columns: 20);
        Assert.InRange(bomb.Length, 1 << 20, 32 << 20);

        var result = await Probe(new FileSettings { Directory = _root, MaxXlsxCells = 1_000_000 }, "bomb.xlsx", bomb);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("'bomb.xlsx'", warning);
        Assert.Contains("1000000 cells", warning);
    }

    [Fact]
    public async Task A_header_wider_than_the_column_cap_is_refused()
    {
        var result = await Probe(new FileSettings { Directory = _root }, "wide.xlsx", XlsxBombs.WideHeader(16_384));

        Assert.Contains("1000 columns", Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task A_lone_cell_in_the_last_row_counts_every_row_before_it()
    {
        var result = await Probe(new FileSettings { Directory = _root, MaxXlsxCells = 100_000 }, "far.xlsx", XlsxBombs.FarLastRow());

        Assert.Contains("100000 cells", Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task A_part_that_unpacks_past_the_entry_cap_is_refused_before_parsing()
    {
        var result = await Probe(new FileSettings { Directory = _root, MaxXlsxEntryBytes = 1 << 20 }, "big.xlsx", XlsxBombs.ManyCells(rows: 100_000, columns: 5));

        Assert.Contains("more than the 1048576 bytes", Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task A_sheet_within_the_caps_imports_every_row_streamed()
    {
        var result = await Probe(new FileSettings { Directory = _root }, "rows.xlsx", XlsxBombs.ManyCells(rows: 20_000, columns: 5));

        Assert.True(ProbeOutcome.Ok == result.Outcome, result.Message);
        Assert.Empty(result.Warnings);
        var table = JsonNode.Parse(result.DiscoveryJson!)!["tables"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "rows_bomb")!;
        Assert.Equal(20_000, table["rows"]!.GetValue<long>());
        Assert.All(table["columns"]!.AsArray(), c => Assert.Equal("DOUBLE", c!["type"]!.GetValue<string>()));
    }
}
