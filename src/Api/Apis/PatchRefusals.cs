using Sources.Contracts;

namespace Sources.Api.Apis;

/// <summary>
/// What a merge patch may not name. A stored secret belongs with where its owner sent it: the
/// properties the spec marks <c>x-locates-source</c> (host, port, URL, account, user, connection
/// string) decide that, so changing one would send the kept secret somewhere new. Those, the
/// secrets themselves and the type change only through update-config, which takes the secrets again.
/// </summary>
internal static class PatchRefusals
{
    public const string LocatesSourceCode = "locates_source";

    public static List<SchemaError> Of(IEnumerable<string> names, string type)
    {
        var locating = CreateSourceRequest.LocatingPropertiesFor(type);
        var secrets = CreateSourceRequest.WriteOnlyPropertiesFor(type);
        var refused = new List<SchemaError>();
        foreach (var name in names)
        {
            var pointer = JsonPointer.Append("", name);
            if (name == "type")
                refused.Add(new SchemaError(pointer, "invalid_value", "The type of a connection cannot change."));
            else if (locating.Contains(name))
                refused.Add(new SchemaError(pointer, LocatesSourceCode,
                    $"'{name}' decides where Sources sends this connection's credentials; change it through update-config, which takes the credentials again."));
            else if (secrets.Contains(name))
                refused.Add(new SchemaError(pointer, "invalid_value", $"'{name}' is a credential; change it through update-config."));
        }
        return refused;
    }
}
