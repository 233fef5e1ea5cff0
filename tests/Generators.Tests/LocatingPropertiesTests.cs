using System.Collections;
using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>
/// <c>x-locates-source</c> becomes data the service can ask for: each shape's
/// <c>LocatingProperties</c>, and the union's <c>LocatingPropertiesFor(discriminator)</c>, in spec order.
/// </summary>
[Trait("Speed", "fast")]
public sealed class LocatingPropertiesTests
{
    private const string Spec = """
        openapi: 3.0.3
        info: { title: Locating, version: 1.0.0 }
        paths: {}
        components:
          schemas:
            CreateSourceRequest:
              oneOf:
                - $ref: '#/components/schemas/Db'
                - $ref: '#/components/schemas/Keyed'
              discriminator:
                propertyName: type
            Db:
              type: object
              required: [type]
              properties:
                type: { type: string, enum: [DB] }
                host: { type: string, x-locates-source: true }
                name: { type: string }
                password: { type: string, writeOnly: true }
                port: { type: integer, x-locates-source: true }
                url: { type: string, x-locates-source: false }
                dsn: { type: string, writeOnly: true, x-locates-source: true }
            Keyed:
              type: object
              required: [type]
              properties:
                type: { type: string, enum: [TOKEN] }
                token: { type: string, writeOnly: true }
        """;

    [Fact]
    public void Each_shape_lists_the_properties_marked_true_in_spec_order_and_the_union_selects_them()
    {
        using var contract = LoadedContract.Compile(Spec, "Contracts.Locating");

        Assert.Equal(["host", "port", "dsn"], Names(contract.Type("Db").GetProperty("LocatingProperties")!.GetValue(null)));
        Assert.Empty(Names(contract.Type("Keyed").GetProperty("LocatingProperties")!.GetValue(null)));
        var lookup = contract.Type("CreateSourceRequest").GetMethod("LocatingPropertiesFor")!;
        Assert.Equal(["host", "port", "dsn"], Names(lookup.Invoke(null, ["DB"])));
        Assert.Empty(Names(lookup.Invoke(null, ["TOKEN"])));
        Assert.Empty(Names(lookup.Invoke(null, ["OTHER"])));
        // Marking a secret as locating leaves it a secret.
        Assert.Equal(["password", "dsn"], Names(contract.Type("Db").GetProperty("WriteOnlyProperties")!.GetValue(null)));
    }

    private static List<string> Names(object? list) => ((IEnumerable)list!).Cast<string>().ToList();
}
