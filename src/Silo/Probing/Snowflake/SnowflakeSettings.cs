namespace Sources.Silo.Probing.Snowflake;

/// <summary>"Sources:Snowflake": where accounts live. Tests point BaseUrl at a loopback server.</summary>
public sealed class SnowflakeSettings
{
    /// <summary>The account's base URL; "{account}" stands for the account identifier.</summary>
    public string BaseUrl { get; set; } = "https://{account}.snowflakecomputing.com";
}
