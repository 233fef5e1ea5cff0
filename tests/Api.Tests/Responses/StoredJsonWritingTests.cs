using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sources.Api.Apis;
using Sources.Api.Responses;
using Sources.Contracts;
using Sources.Silo.Grains.Sources;
using StoredProbe = Sources.Silo.Probing.ProbeResult;

namespace Sources.Api.Tests.Responses;

/// <summary>
/// A get writes stored JSON verbatim and formats its times by hand; its bytes must stay exactly
/// those of parsing the JSON and formatting with the custom format string, as before.
/// </summary>
[Trait("Speed", "fast")]
public sealed class StoredJsonWritingTests
{
    public static TheoryData<string> StoredSettings() =>
    [
        """{}""",
        """{"host":"db.example.com","port":5432,"database":"app","schemas":["public","sales"]}""",
        """{"nested":{"a":[1,2.5,-3e2,true,false,null],"b":"with spaces  inside"}}""",
        // What ToJsonString escapes, each a reason to fall back to parsing.
        Stored(new JsonObject { ["name"] = "café" }),
        Stored(new JsonObject { ["name"] = "a+b <tag> & 'quote' `tick`" }),
        Stored(new JsonObject { ["name"] = "say \"hi\"\\n" }),
        Stored(new JsonObject { ["name"] = "line\nbreak\ttab" }),
        // Not as ToJsonString writes it, yet still answered in the writer's form.
        """{ "host" : "db", "port": 1 }""",
        "{\n  \"host\": \"db\"\n}",
        """{"n":1E+5}""",
    ];

    [Theory]
    [MemberData(nameof(StoredSettings))]
    public void A_view_writes_stored_json_as_parsing_it_did(string stored)
    {
        var record = new SourceRecord
        {
            Id = 42, Type = "POSTGRES", AccountName = "x", SettingsJson = stored,
            CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        var view = SourceViews.From(record);

        var expected = SourceViews.From(record);
        (expected.Settings, expected.SettingsRawJson) = (Parse(stored), null);

        Assert.Equal(Written(expected), Written(view));
    }

    public static TheoryData<string> StoredDiscoveries() =>
    [
        """{"kind":"relational","schemas":["public"],"tables":[{"schema":"public","name":"t","kind":"table","columns":[{"name":"id","type":"integer","nullable":false,"primary_key":true}]}]}""",
        Stored(new JsonObject { ["kind"] = "files", ["tables"] = new JsonArray(new JsonObject { ["name"] = "café", ["file"] = "café.csv", ["format"] = "csv", ["rows"] = 2, ["columns"] = new JsonArray() }) }),
        """{ "kind" : "tools", "tools": [ { "name": "echo", "input_schema": { "type": "object" } } ] }""",
        """{"tools":[{"name":"echo"}],"kind":"tools"}""",
    ];

    [Theory]
    [MemberData(nameof(StoredDiscoveries))]
    public void A_stored_discovery_is_written_as_the_contract_reads_it(string stored)
    {
        var view = SourceViews.From(new StoredProbe { Outcome = "ok", DiscoveryJson = stored });

        var expected = SourceViews.From(new StoredProbe { Outcome = "ok" });
        expected.Discovery = Discovery.Parse(Encoding.UTF8.GetBytes(stored)).Value;
        Assert.NotNull(expected.Discovery);

        Assert.Equal(Written(expected), Written(view));
    }

    [Fact]
    public void A_discovery_that_is_none_of_the_contract_is_left_out()
    {
        // As stored before discoveries had kinds: the next check replaces it.
        var view = SourceViews.From(new StoredProbe { Outcome = "ok", DiscoveryJson = """{"schemas":["public"],"tables":[]}""" });

        Assert.Null(view.Discovery);
        Assert.Null(view.DiscoveryRawJson);
    }

    [Fact]
    public void Compact_stored_json_is_written_without_parsing()
    {
        const string stored = """{"host":"db","port":5432}""";
        var view = SourceViews.From(new SourceRecord { SettingsJson = stored });

        Assert.Same(stored, view.SettingsRawJson);
        Assert.Equal(JsonValueKind.Undefined, view.Settings.ValueKind);
    }

    [Theory]
    [InlineData("2026-12-01T13:28:22.1234567+00:00")]
    [InlineData("2026-12-01T13:28:22.9999999+05:30")]
    [InlineData("0001-01-01T00:00:00+00:00")]
    [InlineData("0999-02-03T04:05:06.007-11:00")]
    [InlineData("9999-12-31T23:59:59.9999999+00:00")]
    public void Times_are_formatted_as_the_custom_format_string_did(string time)
    {
        var value = DateTimeOffset.Parse(time, CultureInfo.InvariantCulture);

        Assert.Equal(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), Rfc3339.Format(value));
    }

    private static string Stored(JsonObject json) => json.ToJsonString();

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string Written(IJsonWritable body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutputOptions.Relaxed))
            body.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
