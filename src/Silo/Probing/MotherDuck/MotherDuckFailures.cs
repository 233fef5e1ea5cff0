using DuckDB.NET.Native;

namespace Sources.Silo.Probing.MotherDuck;

/// <summary>
/// Classifies a MotherDuck probe's failure by DuckDB's error type and the step it happened in,
/// never by message text (DuckDB's messages name URLs and, for some errors, the attach string).
/// </summary>
public static class MotherDuckFailures
{
    public static ProbeResult Classify(DuckDBErrorType error, MotherDuckStep step, string database) => (step, error) switch
    {
        // The extension is fetched from DuckDB's repository on first use; this server cannot reach it.
        (MotherDuckStep.Extension, _) => ProbeResult.Failed(ProbeOutcome.Unsupported,
            "This Sources server cannot load DuckDB's MotherDuck extension (DuckDB's extension repository is out of its reach), so MotherDuck sources cannot be checked here."),
        (_, DuckDBErrorType.Io or DuckDBErrorType.Http or DuckDBErrorType.Network or DuckDBErrorType.Connection) =>
            ProbeResult.Failed(ProbeOutcome.Unreachable, "MotherDuck could not be reached."),
        (MotherDuckStep.Attach, DuckDBErrorType.InvalidInput or DuckDBErrorType.Permission) =>
            ProbeResult.Failed(ProbeOutcome.AuthFailed, "MotherDuck refused the token."),
        (_, DuckDBErrorType.Catalog or DuckDBErrorType.Binder) =>
            ProbeResult.Failed(ProbeOutcome.NotFound, $"MotherDuck has no database '{database}' for this token."),
        (_, DuckDBErrorType.Permission) => ProbeResult.Failed(ProbeOutcome.PermissionDenied, $"The token may not read the database '{database}'."),
        _ => ProbeResult.Failed(ProbeOutcome.Error, $"MotherDuck answered with an error ({error})."),
    };
}
