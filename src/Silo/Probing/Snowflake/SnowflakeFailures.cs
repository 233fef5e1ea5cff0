namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// Classifies Snowflake's refusals by HTTP status and Snowflake error code, never by message
/// text. A refused key-pair JWT means, for a key Sources generated, that the user has not run
/// the ALTER USER statement yet: the source waits for it rather than failing.
/// </summary>
public static class SnowflakeFailures
{
    private const string JwtInvalid = "390144";
    private const string WrongPassword = "390100";
    private const string NotAuthorized = "002003";

    public static ProbeResult Classify(SnowflakeException error, bool keyHeldBySources, string account)
    {
        var authRefused = error.Status == 401 || error.Code is JwtInvalid or WrongPassword;
        if (authRefused && keyHeldBySources)
            return ProbeResult.Failed(ProbeOutcome.AwaitingKeyRegistration,
                "Snowflake does not accept the key yet: run the public_key_sql statement in Snowflake to register the public key with the user.");
        return (error.Status, error.Code) switch
        {
            _ when authRefused => ProbeResult.Failed(ProbeOutcome.AuthFailed, "Snowflake refused the user name and credentials."),
            (403, _) => ProbeResult.Failed(ProbeOutcome.PermissionDenied, "Snowflake denied this user access."),
            (404, _) => ProbeResult.Failed(ProbeOutcome.NotFound, $"Snowflake has no account '{account}' at this address."),
            (_, NotAuthorized) => ProbeResult.Failed(ProbeOutcome.PermissionDenied, "The user may not read Snowflake's catalog."),
            (408 or 504, _) => ProbeResult.Failed(ProbeOutcome.Timeout, "Snowflake did not finish in time."),
            (429 or 503, _) => ProbeResult.Failed(ProbeOutcome.Unreachable, "Snowflake is busy or unavailable; it will be checked again."),
            _ => ProbeResult.Failed(ProbeOutcome.Error, $"Snowflake answered HTTP {error.Status}{(error.Code is null ? "" : $" with error {error.Code}")}."),
        };
    }
}
