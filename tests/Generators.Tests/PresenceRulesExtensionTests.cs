using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>
/// <c>x-presence-rules</c> holds an object's rules across fields so that client generators see a
/// plain object; the generated reader must check them exactly as it checks the same keywords
/// written on the object.
/// </summary>
[Trait("Speed", "fast")]
public sealed class PresenceRulesExtensionTests
{
    private const string Rules = """
            anyOf:
              - required: [url]
              - required: [host, user]
            allOf:
              - description: A token or a password, not both.
                not: { required: [token, password] }
        """;

    private static string Spec(string rules) => $$"""
        openapi: 3.0.3
        info: { title: Rules, version: 1.0.0 }
        paths: {}
        components:
          schemas:
            CreateSourceRequest:
              oneOf: [{ $ref: '#/components/schemas/Login' }]
              discriminator: { propertyName: type }
            Login:
              type: object
              additionalProperties: false
              required: [type]
        {{rules}}
              properties:
                type: { type: string, enum: [LOGIN] }
                url: { type: string }
                host: { type: string }
                user: { type: string }
                token: { type: string }
                password: { type: string }
        """;

    private static string Indented(string text, string by) =>
        string.Join("\n", text.Split('\n').Select(line => line.Length == 0 ? line : by + line));

    private static readonly string OnTheObject = Spec(Indented(Rules, "  "));
    private static readonly string InTheExtension = Spec("      x-presence-rules:\n" + Indented(Rules, "    "));

    [Fact]
    public void Rules_in_the_extension_generate_the_same_code_as_on_the_object()
    {
        var keywords = GeneratorHarness.Run(OnTheObject);
        var extension = GeneratorHarness.Run(InTheExtension);

        Assert.Empty(keywords.GeneratorDiagnostics);
        Assert.Empty(extension.GeneratorDiagnostics);
        var expected = Sources(keywords);
        Assert.Contains("any_of", expected["sources.Login.g.cs"]);
        Assert.Equal(expected, Sources(extension));
    }

    [Theory]
    [InlineData("""{"type":"LOGIN","url":"u"}""", null)]
    [InlineData("""{"type":"LOGIN","host":"h","user":"u","token":"t"}""", null)]
    [InlineData("""{"type":"LOGIN","host":"h"}""", "any_of")]
    [InlineData("""{"type":"LOGIN","url":"u","token":"t","password":"p"}""", "not")]
    public void The_reader_checks_the_rules_of_the_extension(string json, string? code)
    {
        using var contract = LoadedContract.Compile(InTheExtension, "Rules" + Guid.NewGuid().ToString("N"));

        var outcome = contract.Parse(json);

        if (code is null) Assert.True(outcome.IsValid, string.Join("; ", outcome.Errors));
        else Assert.Equal([("", code)], outcome.Errors.Select(e => (e.Pointer, e.Code)));
    }

    private static Dictionary<string, string> Sources(GeneratorRun run) =>
        Assert.Single(run.Driver.GetRunResult().Results).GeneratedSources
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());
}
