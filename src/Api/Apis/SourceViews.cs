using System.Globalization;
using System.Text.Json;
using Sources.Contracts;
using Sources.Silo.Grains.Sources;

namespace Sources.Api.Apis;

/// <summary>How a stored source is shown: its settings and which secrets are set, never their values.</summary>
public static class SourceViews
{
    public static SourceView From(SourceRecord record) => new()
    {
        Id = record.Id,
        Type = record.Type,
        AccountName = record.AccountName,
        Status = record.Status,
        Settings = JsonDocument.Parse(record.SettingsJson).RootElement.Clone(),
        SecretsSet = record.SecretsSet,
        CreatedAt = Rfc3339(record.CreatedAt),
        UpdatedAt = Rfc3339(record.UpdatedAt),
    };

    private static string Rfc3339(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Location(long id) => $"/api/v1/sources/{id}/";
}
