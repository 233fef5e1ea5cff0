using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>
/// A small spec that uses every construct the generator accepts, including the ones the real
/// contract happens not to (an object with no properties, a free-form object, a union with an
/// array branch, patterns on items): it too must compile with nothing to report.
/// </summary>
[Trait("Speed", "fast")]
public sealed class EveryConstructCompilesTests
{
    private const string Spec = """
        openapi: 3.0.3
        info: { title: Constructs, version: 1.0.0 }
        paths: {}
        components:
          schemas:
            Shape:
              oneOf:
                - $ref: '#/components/schemas/Circle'
                - $ref: '#/components/schemas/Empty'
              discriminator:
                propertyName: kind
            Circle:
              type: object
              additionalProperties: false
              required: [kind, radius]
              oneOf:
                - required: [label]
                - required: [tags]
              properties:
                kind: { type: string, enum: [CIRCLE] }
                radius: { type: number, minimum: 0, maximum: 1e6 }
                count: { type: integer, format: int32, minimum: 1, default: 3 }
                big: { type: integer, maximum: 10 }
                filled: { type: boolean, default: false }
                visible: { type: boolean }
                label: { type: string, pattern: '^[a-z]+$', format: uri }
                tags:
                  type: array
                  minItems: 1
                  uniqueItems: true
                  items: { type: string, pattern: '^#' }
                sizes: { type: array, items: { type: integer } }
                points: { type: array, items: { $ref: '#/components/schemas/Point' } }
                extra: { type: object, additionalProperties: true }
                either:
                  oneOf:
                    - type: array
                      items: { type: string }
                    - type: string
                    - type: integer
                    - type: boolean
                    - $ref: '#/components/schemas/Point'
                settings:
                  oneOf:
                    - { type: object, additionalProperties: true }
                    - { type: string }
            Empty:
              type: object
              required: [kind]
              properties:
                kind: { type: string, enum: [EMPTY] }
            Point:
              type: object
              properties:
                x: { type: number }
            Nothing:
              type: object
        """;

    [Fact]
    public void Every_construct_generates_code_that_compiles_with_no_diagnostic_of_any_severity()
    {
        var run = GeneratorHarness.Run(Spec, "/specs/constructs.openapi.yaml");

        Assert.Empty(run.GeneratorDiagnostics);
        var diagnostics = run.Output.GetDiagnostics();
        Assert.True(diagnostics.IsEmpty, string.Join(Environment.NewLine, diagnostics));
    }
}
