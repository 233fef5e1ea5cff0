using System.Net.Http.Headers;
using System.Text;
using Sources.Contracts;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>One answer of the service, read whole, with helpers that check it against the contract.</summary>
public sealed record ApiResponse(string Request, int Status, byte[] Body, HttpResponseHeaders Headers, string? ContentType)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public override string ToString() => $"{Request} -> {Status}: {Text}";

    /// <summary>Asserts the status, with the whole exchange in the failure message.</summary>
    public ApiResponse Expect(int status)
    {
        Assert.True(Status == status, $"expected {status}, got {this}");
        return this;
    }

    public T As<T>(Func<byte[], ReadResult<T>> parse, int status = 200) where T : class
    {
        Expect(status);
        Assert.Equal("application/json", ContentType);
        var parsed = parse(Body);
        Assert.True(parsed.IsValid, $"the body breaks the contract ({string.Join("; ", parsed.Errors.Select(e => $"{e.Pointer} {e.Code}"))}): {this}");
        return parsed.Value!;
    }

    public SourceView View(int status = 200) => As(b => SourceView.Parse(b), status);

    public SourcePage Page() => As(b => SourcePage.Parse(b));

    public long CreatedId()
    {
        var created = As(b => CreateSourceResponse.Parse(b), 201);
        Assert.Equal($"/api/v1/sources/{created.Id}/", Headers.Location?.OriginalString);
        return created.Id;
    }

    /// <summary>An RFC 9457 problem of this status, in the contract's shape, showing no stack trace.</summary>
    public Problem Problem(int status)
    {
        Expect(status);
        Assert.Equal("application/problem+json", ContentType);
        AssertNoStackTrace();
        var parsed = Sources.Contracts.Problem.Parse(Body);
        Assert.True(parsed.IsValid, $"not a problem: {this}");
        Assert.Equal(status, parsed.Value!.Status);
        return parsed.Value;
    }

    /// <summary>No frame of a .NET stack trace ("   at Namespace.Type.Method(...)") anywhere in the body.</summary>
    public void AssertNoStackTrace()
    {
        Assert.DoesNotContain("   at ", Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", Text, StringComparison.Ordinal);
    }
}
