namespace Sources.Silo.Grains.Idempotency;

/// <summary>
/// One Idempotency-Key of one account. The first request with the key claims it; a repeat
/// with the same body gets the first answer, with another body a conflict.
/// </summary>
[Alias("Sources.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    [Alias("Claim")]
    Task<IdempotencyClaim> Claim(byte[] bodyHash);

    [Alias("Complete")]
    Task Complete(byte[] bodyHash, StoredResponse response);

    /// <summary>Releases a claim whose request failed, so a retry can run again.</summary>
    [Alias("Release")]
    Task Release(byte[] bodyHash);
}

public enum ClaimOutcome { Proceed, Replay, Conflict, InProgress }

[GenerateSerializer, Alias("Sources.IdempotencyClaim")]
public sealed record IdempotencyClaim([property: Id(0)] ClaimOutcome Outcome, [property: Id(1)] StoredResponse? Response);

[GenerateSerializer, Alias("Sources.StoredResponse")]
public sealed record StoredResponse(
    [property: Id(0)] int StatusCode,
    [property: Id(1)] string Body,
    [property: Id(2)] string? Location);
