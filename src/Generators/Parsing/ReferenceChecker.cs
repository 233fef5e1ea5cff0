using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>
/// Resolves every <c>$ref</c> in the document as a JSON Pointer into the same file, so a
/// typo in any reference (schemas, responses, parameters) stops the build at its line.
/// </summary>
internal static class ReferenceChecker
{
    public static void Check(YamlMappingNode root, SpecDiagnostics diagnostics) => Walk(root, root, diagnostics);

    private static void Walk(YamlNode node, YamlMappingNode root, SpecDiagnostics diagnostics)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, _, value) in map.Entries())
                {
                    if (key == "$ref" && value is YamlScalarNode reference)
                        CheckOne(reference, root, diagnostics);
                    else
                        Walk(value, root, diagnostics);
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children) Walk(item, root, diagnostics);
                break;
        }
    }

    private static void CheckOne(YamlScalarNode reference, YamlMappingNode root, SpecDiagnostics diagnostics)
    {
        var target = reference.Value ?? "";
        if (!target.StartsWith("#/", System.StringComparison.Ordinal))
        {
            diagnostics.Report("SRC002", reference, $"$ref '{target}' points outside this file; only local references ('#/...') are supported.");
            return;
        }
        YamlNode current = root;
        foreach (var raw in target.Substring(2).Split('/'))
        {
            var segment = raw.Replace("~1", "/").Replace("~0", "~");
            YamlNode? next = current switch
            {
                YamlMappingNode map => map.Get(segment),
                YamlSequenceNode list when int.TryParse(segment, out var i) && i >= 0 && i < list.Children.Count => list.Children[i],
                _ => null,
            };
            if (next is null)
            {
                diagnostics.Report("SRC002", reference, $"$ref '{target}' does not resolve: nothing at '{segment}'.");
                return;
            }
            current = next;
        }
    }
}
