using Microsoft.CodeAnalysis;
using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>
/// Each kind of broken spec stops the build with its own diagnostic at the line that is
/// wrong, and never as a crash of the generator (SRC999, or the driver's CS8785).
/// The expected line is the one marked <c># &lt;- here</c>.
/// </summary>
[Trait("Speed", "fast")]
public sealed class BadSpecDiagnosticsTests
{
    private const string Marker = "# <- here";

    private const string Header = """
        openapi: 3.0.3
        info: { title: Bad, version: 1.0.0 }

        """;

    public static TheoryData<string, string> Cases => new()
    {
        { "SRC001", Thing("""
                  type: object
                    properties: {} # <- here
            """) },
        { "SRC002", Thing("""
                  type: object
                  properties:
                    other:
                      $ref: '#/components/schemas/Missing' # <- here
            """) },
        { "SRC002", Thing("""
                  type: object
                  properties:
                    other:
                      $ref: 'common.openapi.yaml#/components/schemas/Other' # <- here
            """) },
        { "SRC003", Thing("""
                  type: object
                  properties:
                    count:
                      type: integer
                      multipleOf: 5 # <- here
            """) },
        { "SRC003", Thing("""
                  type: object
                  properties:
                    count:
                      type: integer
                      minimum: 0
                      exclusiveMinimum: true # <- here
            """) },
        { "SRC003", Thing("""
                  type: object
                  properties:
                    either:
                      oneOf: [{ $ref: '#/components/schemas/Thing' }, { type: object, additionalProperties: true }] # <- here
            """) },
        { "SRC004", Thing("""
                  type: object
                  properties:
                    name:
                      type: string
                      pattern: '^[a-z+$' # <- here
            """) },
        { "SRC004", Thing("""
                  type: object
                  properties:
                    name:
                      type: string
                      minLength: ten # <- here
            """) },
        { "SRC004", Thing("""
                  type: object
                  required: [name, nmae] # <- here
                  properties:
                    name: { type: string }
            """) },
        { "SRC004", Thing("""
                  type: object
                  required:
                    - name
                    - nmae # <- here
                  properties:
                    name: { type: string }
            """) },
        { "SRC004", Thing("""
                  type: object
                  anyOf:
                    - required: [name]
                    - required:
                        - name
                        - hostname # <- here
                  properties:
                    name: { type: string }
            """) },
        { "SRC004", Thing("""
                  type: object
                  x-presence-rules:
                    anyOf:
                      - required: [name]
                      - required:
                          - nmae # <- here
                  properties:
                    name: { type: string }
            """) },
        { "SRC004", Thing("""
                  type: object
                  x-presence-rules: [name] # <- here
                  properties:
                    name: { type: string }
            """) },
        { "SRC004", Thing("""
                  type: object
                  x-presence-rules:
                    description: Nothing but words. # <- here
                  properties:
                    name: { type: string }
            """) },
        { "SRC003", Thing("""
                  type: object
                  x-presence-rules:
                    required: [name] # <- here
                  properties:
                    name: { type: string }
            """) },
        { "SRC003", Thing("""
                  type: object
                  x-presence-rules:
                    anyOf: [{ required: [name] }]
                    minProperties: 1 # <- here
                  properties:
                    name: { type: string }
            """) },
        { "SRC003", Thing("""
                  type: object
                  properties:
                    name:
                      type: string
                      x-presence-rules: # <- here
                        not: { required: [name] }
            """) },
        { "SRC004", Thing("""
                  type: object
                  properties:
                    host:
                      type: string
                      x-locates-source: sometimes # <- here
            """) },
        { "SRC003", Thing("""
                  type: object
                  properties:
                    host:
                      type: string
                      x-locates-source: true # <- here
            """) },
        { "SRC003", Thing("""
                  type: object
                  x-locates-source: true # <- here
                  properties:
                    host: { type: string }
            """) },
        { "SRC003", Header + """
            components:
              schemas:
                Shape:
                  oneOf: [{ $ref: '#/components/schemas/Circle' }]
                  discriminator: { propertyName: kind }
                Circle:
                  type: object
                  required: [kind]
                  properties:
                    kind:
                      type: string
                      enum: [CIRCLE]
                      x-locates-source: true # <- here
            """ },
        { "SRC005", """
            openapi: 3.0.3 # <- here
            info: { title: Bad, version: 1.0.0 }
            paths: {}
            """ },
        { "SRC005", Header + """
            components: # <- here
              securitySchemes:
                ApiKey: { type: http, scheme: bearer }
            """ },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_spec_gets_its_diagnostic_at_the_line_that_is_wrong(string id, string spec)
    {
        var run = GeneratorHarness.Run(spec, Specs.BadPath);

        var reported = Assert.Single(run.GeneratorDiagnostics.Select(SpecDiagnostic.From));
        Assert.Equal(new SpecDiagnostic(id, Specs.BadPath, MarkedLine(spec), DiagnosticSeverity.Error), reported);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_spec_never_crashes_the_generator_and_emits_no_types(string id, string spec)
    {
        var run = GeneratorHarness.Run(spec, Specs.BadPath);

        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == id);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "SRC999" or "CS8785");
        var result = Assert.Single(run.Driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        Assert.DoesNotContain(result.GeneratedSources, source => source.HintName.StartsWith("bad.", StringComparison.Ordinal));
    }

    /// <summary>A spec whose only schema is <c>Thing</c>, with the given body (indented as under it).</summary>
    private static string Thing(string body) => Header + """
        components:
          schemas:
            Thing:

        """ + body;

    private static int MarkedLine(string spec)
    {
        var lines = spec.Split('\n');
        var marked = Enumerable.Range(0, lines.Length).Single(i => lines[i].Contains(Marker, StringComparison.Ordinal));
        return marked + 1;
    }
}
