using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;
using Sources.Silo.Probing.Network;
using Sources.TestServers;

namespace Sources.Probing.Tests.Files;

/// <summary>The FILE prober against a loopback file host: every format, bad files beside good ones, and every refusal.</summary>
public sealed class FileProberTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sources-files-" + Guid.NewGuid().ToString("N"));
    private FileHost _host = null!;

    public async Task InitializeAsync() => _host = await FileHost.Start();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private FileSettings Files(long maxFileBytes = 1L << 30, long maxSourceBytes = 10L << 30) =>
        new() { Directory = _root, MaxFileBytes = maxFileBytes, MaxSourceBytes = maxSourceBytes };

    private static FileProber Prober(FileSettings files, NetworkPolicy? network = null, ProbeSettings? probing = null) =>
        new(new FileDownloader(network ?? Probes.Loopback, files, probing ?? Probes.Settings()), files);

    private static JsonObject Settings(params (string Url, string Filename)[] items) => new()
    {
        ["type"] = "FILE",
        ["file_urls"] = new JsonArray(items.Select(i => (JsonNode)new JsonObject { ["url"] = i.Url, ["filename"] = i.Filename }).ToArray()),
    };

    private static JsonObject Table(ProbeResult result, string name) =>
        JsonNode.Parse(result.DiscoveryJson!)!["tables"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == name)!.AsObject();

    private static string[] Columns(JsonObject table) => table["columns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task A_csv_file_becomes_a_table_with_columns_types_and_rows()
    {
        var result = await Prober(Files()).Probe(Settings((_host.Put("orders.csv", SampleFiles.Csv), "orders.csv")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Empty(result.Warnings);
        var table = Table(result, "orders");
        Assert.Equal(3, table["rows"]!.GetValue<long>());
        Assert.Equal(["id", "name"], Columns(table));
        Assert.Equal("BIGINT", table["columns"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("VARCHAR", table["columns"]![1]!["type"]!.GetValue<string>());
        var discovery = DiscoveryAnswers.Read<Sources.Contracts.FilesDiscovery>(result);
        Assert.Equal([("id", "BIGINT", true, false), ("name", "VARCHAR", true, false)],
            discovery.Tables.Single().Columns.Select(c => (c.Name, c.Type, c.Nullable, c.PrimaryKey)));
    }

    [Theory]
    [InlineData("people.tsv", "people", "tsv", 2)]
    [InlineData("people.json", "people", "json", 2)]
    [InlineData("events.ndjson", "events", "ndjson", 4)]
    [InlineData("events.jsonl", "events", "ndjson", 4)]
    public async Task Each_text_format_imports(string filename, string table, string format, long rows)
    {
        var bytes = format switch { "tsv" => SampleFiles.Tsv, "json" => SampleFiles.Json, _ => SampleFiles.Ndjson };

        var result = await Prober(Files()).Probe(Settings((_host.Put(filename, bytes), filename)), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        var imported = Table(result, table);
        Assert.Equal(format, imported["format"]!.GetValue<string>());
        Assert.Equal(rows, imported["rows"]!.GetValue<long>());
        Assert.Contains("id", Columns(imported));
    }

    [Fact]
    public async Task A_parquet_file_imports()
    {
        var result = await Prober(Files()).Probe(Settings((_host.Put("metrics.parquet", SampleFiles.Parquet()), "metrics.parquet")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        var table = Table(result, "metrics");
        Assert.Equal(5, table["rows"]!.GetValue<long>());
        Assert.Equal(["id", "label"], Columns(table));
    }

    [Fact]
    public async Task A_file_with_the_wrong_extension_is_read_by_its_content()
    {
        var result = await Prober(Files()).Probe(Settings((_host.Put("mislabelled.csv", SampleFiles.Parquet()), "mislabelled.csv")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        var table = Table(result, "mislabelled");
        Assert.Equal("parquet", table["format"]!.GetValue<string>());
        Assert.Equal(5, table["rows"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_malformed_csv_is_a_warning_naming_it_and_the_other_files_still_import()
    {
        var settings = Settings(
            (_host.Put("good.csv", SampleFiles.Csv), "good.csv"),
            (_host.Put("broken.csv", SampleFiles.MalformedCsv), "broken.csv"));

        var result = await Prober(Files()).Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains("broken.csv", Assert.Single(result.Warnings));
        Assert.Equal(3, Table(result, "good")["rows"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_xlsx_workbook_imports_each_sheet_with_numbers_and_text()
    {
        var result = await Prober(Files()).Probe(Settings((_host.Put("budget.xlsx", SampleFiles.XlsxWorkbook()), "budget.xlsx")), Probes.Context, CancellationToken.None);

        Assert.True(ProbeOutcome.Ok == result.Outcome, result.Message + string.Join(";", result.Warnings));
        var table = Table(result, "budget_costs");
        Assert.Equal(3, table["rows"]!.GetValue<long>());
        var types = table["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["type"]!.GetValue<string>());
        Assert.Equal("DOUBLE", types["amount"]);
        Assert.Equal("VARCHAR", types["item"]);
    }

    [Fact]
    public async Task A_sqlite_file_imports_each_of_its_tables_with_rows_and_types()
    {
        var result = await Prober(Files()).Probe(Settings((_host.Put("app.sqlite", SampleFiles.SqliteDatabase()), "app.sqlite")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        var orders = Table(result, "app_orders");
        Assert.Equal(3, orders["rows"]!.GetValue<long>());
        var types = orders["columns"]!.AsArray().ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!["type"]!.GetValue<string>());
        Assert.Equal("BIGINT", types["id"]);
        Assert.Equal("DOUBLE", types["amount"]);
        Assert.Equal("VARCHAR", types["note"]);
        Assert.Equal(2, Table(result, "app_users")["rows"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_sqlite_files_virtual_tables_and_their_shadow_tables_are_not_imported()
    {
        var result = await Prober(Files()).Probe(Settings((_host.Put("kb.sqlite", SampleFiles.SqliteWithVirtualTable()), "kb.sqlite")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Empty(result.Warnings);
        var names = JsonNode.Parse(result.DiscoveryJson!)!["tables"]!.AsArray().Select(t => t!["name"]!.GetValue<string>());
        Assert.Equal(["kb_notes"], names);
    }

    [Theory]
    [InlineData("fake.xlsx")]
    [InlineData("fake.sqlite")]
    public async Task A_file_that_only_looks_like_xlsx_or_sqlite_is_a_warning_naming_it(string filename)
    {
        var bytes = filename.EndsWith(".xlsx", StringComparison.Ordinal) ? SampleFiles.Xlsx : SampleFiles.Sqlite;
        var settings = Settings(
            (_host.Put("good.csv", SampleFiles.Csv), "good.csv"),
            (_host.Put(filename, bytes), filename));

        var result = await Prober(Files()).Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains(filename, Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task Two_files_with_the_same_stem_get_unique_tables()
    {
        var settings = Settings(
            (_host.Put("data.csv", SampleFiles.Csv), "data.csv"),
            (_host.Put("data.tsv", SampleFiles.Tsv), "data.tsv"));

        var result = await Prober(Files()).Probe(settings, Probes.Context, CancellationToken.None);

        var names = JsonNode.Parse(result.DiscoveryJson!)!["tables"]!.AsArray().Select(t => t!["name"]!.GetValue<string>());
        Assert.Equal(["data", "data_2"], names);
    }

    [Fact]
    public async Task The_import_lands_in_the_sources_duckdb_file()
    {
        var settings = Settings((_host.Put("orders.csv", SampleFiles.Csv), "orders.csv"));
        var prober = Prober(Files());

        await prober.Probe(settings, new ProbeContext(42), CancellationToken.None);

        var folder = prober.SourceFolder(42);
        Assert.Equal(Path.Combine(_root, "42"), folder);
        Assert.True(File.Exists(Path.Combine(folder, FileProber.DatabaseFile)));
        Assert.Equal([FileProber.DatabaseFile], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_account_keeps_no_more_on_a_node_than_its_cap_and_other_accounts_are_not_held_to_it()
    {
        var settings = Settings((_host.Put("orders.csv", SampleFiles.Csv), "orders.csv"));
        var sizing = Prober(Files());
        await sizing.Probe(settings, new ProbeContext(90) { Account = "sizing" }, CancellationToken.None);
        var one = new FileInfo(Path.Combine(sizing.SourceFolder(90), FileProber.DatabaseFile)).Length;
        var files = Files();
        files.MaxAccountBytes = one + one / 2; // room for one such source, not two
        var prober = Prober(files);

        var first = await prober.Probe(settings, new ProbeContext(91) { Account = "a" }, CancellationToken.None);
        var again = await prober.Probe(settings, new ProbeContext(91) { Account = "a" }, CancellationToken.None);
        var second = await prober.Probe(settings, new ProbeContext(92) { Account = "a" }, CancellationToken.None);
        var other = await prober.Probe(settings, new ProbeContext(93) { Account = "b" }, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, first.Outcome);
        Assert.Equal(ProbeOutcome.Ok, again.Outcome); // a source re-checked replaces what it keeps
        Assert.Equal(ProbeOutcome.InvalidConfig, second.Outcome);
        Assert.Contains("Sources:Files:MaxAccountBytes", second.Message);
        Assert.False(File.Exists(Path.Combine(prober.SourceFolder(92), FileProber.DatabaseFile)));
        Assert.Equal(ProbeOutcome.Ok, other.Outcome);
    }

    [Fact]
    public async Task Two_sources_with_the_same_files_keep_their_own_folders()
    {
        var settings = Settings((_host.Put("orders.csv", SampleFiles.Csv), "orders.csv"));
        var prober = Prober(Files());

        await prober.Probe(settings, new ProbeContext(7), CancellationToken.None);
        await prober.Probe(settings, new ProbeContext(8), CancellationToken.None);

        Assert.Equal(["7", "8"], Directory.GetDirectories(_root).Select(Path.GetFileName).Order());
        Assert.True(File.Exists(Path.Combine(_root, "7", FileProber.DatabaseFile)));
        Assert.True(File.Exists(Path.Combine(_root, "8", FileProber.DatabaseFile)));
    }

    [Fact]
    public async Task Progress_counts_files_up_to_the_total_and_bytes_grow()
    {
        var big = SampleFiles.Csv.Concat(Enumerable.Repeat("4,more\n"u8.ToArray(), 40_000).SelectMany(b => b)).ToArray();
        var settings = Settings(
            (_host.Put("big.csv", big), "big.csv"),
            (_host.Put("orders.csv", SampleFiles.Csv), "orders.csv"),
            ($"{_host.BaseUrl}/files/nothing.csv", "nothing.csv"));
        var reports = new Reports();

        var result = await Prober(Files()).Probe(settings, new ProbeContext(1, reports), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        var seen = reports.All;
        Assert.All(seen, r => Assert.Equal(3, r.FilesTotal));
        Assert.Equal(new ProbeProgress(0, 3, 0), seen[0]);
        Assert.Equal(new ProbeProgress(3, 3, big.Length + SampleFiles.Csv.Length), seen[^1]);
        // Files done count up one at a time, and bytes never go back.
        Assert.Equal([0, 1, 2, 3], seen.Select(r => r.FilesDone).Distinct());
        Assert.All(seen.Zip(seen.Skip(1)), pair =>
        {
            Assert.True(pair.Second.FilesDone >= pair.First.FilesDone);
            Assert.True(pair.Second.BytesDownloaded >= pair.First.BytesDownloaded);
        });
        // The big file is reported while it downloads, not only when it ends.
        Assert.Contains(seen, r => r.FilesDone == 0 && r.BytesDownloaded > 0 && r.BytesDownloaded < big.Length);
        Assert.Contains(new ProbeProgress(1, 3, big.Length), seen);
    }

    /// <summary>Collects reports as they are made, on the probe's own thread (not <see cref="Progress{T}"/>, which posts them).</summary>
    private sealed class Reports : IProgress<ProbeProgress>
    {
        private readonly List<ProbeProgress> _seen = [];
        public void Report(ProbeProgress value) { lock (_seen) _seen.Add(value); }
        public ProbeProgress[] All { get { lock (_seen) return [.. _seen]; } }
    }

    [Fact]
    public async Task A_redirect_to_a_file_here_is_followed()
    {
        _host.Put("orders.csv", SampleFiles.Csv);

        var result = await Prober(Files()).Probe(Settings(($"{_host.BaseUrl}/redirect/orders.csv", "orders.csv")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
    }

    [Fact]
    public async Task A_redirect_to_the_metadata_address_is_refused()
    {
        var result = await Prober(Files()).Probe(Settings(($"{_host.BaseUrl}/metadata-redirect", "secrets.csv")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Contains("secrets.csv", result.Message);
        Assert.Contains(NetworkPolicy.DeniedMessage, result.Message);
    }

    [Fact]
    public async Task A_missing_file_is_not_found_naming_it()
    {
        var result = await Prober(Files()).Probe(Settings(($"{_host.BaseUrl}/files/nothing.csv", "nothing.csv")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.NotFound, result.Outcome);
        Assert.Contains("nothing.csv", result.Message);
    }

    [Fact]
    public async Task A_file_over_its_announced_cap_is_refused()
    {
        var result = await Prober(Files(maxFileBytes: 16)).Probe(Settings((_host.Put("orders.csv", SampleFiles.Csv), "orders.csv")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Contains("larger than", result.Message);
    }

    [Fact]
    public async Task A_stream_without_a_length_is_cut_at_the_cap()
    {
        var result = await Prober(Files(maxFileBytes: 4096)).Probe(Settings(($"{_host.BaseUrl}/chunked/100000", "big.csv")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Contains("big.csv", result.Message);
    }

    [Fact]
    public async Task The_source_cap_counts_every_file()
    {
        var settings = Settings(
            (_host.Put("one.csv", SampleFiles.Csv), "one.csv"),
            (_host.Put("two.csv", SampleFiles.Csv), "two.csv"));

        var result = await Prober(Files(maxSourceBytes: SampleFiles.Csv.Length + 10)).Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains("two.csv", Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task A_server_that_stalls_ends_at_the_downloads_deadline()
    {
        var probing = Probes.Settings(deadlineSeconds: 2);
        var prober = Prober(Files(maxFileBytes: 4096), probing: probing);

        var result = await Probes.Runner(prober, probing).Run("FILE", Settings(($"{_host.BaseUrl}/slow", "slow.csv")), Probes.Context, [], CancellationToken.None);

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.Contains("slow.csv", result.Message);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_unreachable()
    {
        var result = await Prober(Files()).Probe(Settings(($"http://127.0.0.1:{FreePort.Next()}/x.csv", "x.csv")), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Theory]
    [InlineData("ftp://files.example.com/x.csv", "x.csv", "/file_urls/0/url")]
    [InlineData("file:///etc/passwd", "passwd.csv", "/file_urls/0/url")]
    [InlineData("https://files.example.com/x.csv", "../../etc/x.csv", "/file_urls/0/filename")]
    [InlineData("https://files.example.com/x.csv", "..", "/file_urls/0/filename")]
    public void Check_names_the_item_field_that_is_wrong(string url, string filename, string pointer) =>
        Assert.Equal(pointer, Assert.Single(Prober(Files()).Check(Settings((url, filename)))).Pointer);

    [Fact]
    public void Check_refuses_an_empty_list() =>
        Assert.Equal("/file_urls", Assert.Single(Prober(Files()).Check(new JsonObject { ["type"] = "FILE", ["file_urls"] = new JsonArray() })).Pointer);
}
