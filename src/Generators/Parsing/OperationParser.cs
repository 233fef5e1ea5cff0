using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sources.Generators.Helpers;
using Sources.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>
/// Turns the spec's <c>paths</c> into the operations of a client: each operation's parameters
/// (path, query, header; strings and integers), its JSON request body and its first 2xx answer,
/// both typed by the contract's generated types.
/// </summary>
public static class OperationParser
{
    private static readonly string[] Methods = { "get", "put", "post", "delete", "patch" };
    private const string ParameterPrefix = "#/components/parameters/";

    public static ClientModel Parse(string path, string text, string @namespace, string contractsNamespace)
    {
        var diagnostics = new SpecDiagnostics(path);
        var fileName = Path.GetFileName(path);
        var className = Names.Pascal(Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(fileName))) + "ApiClient";
        var operations = new List<OperationSpec>();
        var root = SpecParser.Load(text, diagnostics);
        if (root is not null)
        {
            ReferenceChecker.Check(root, diagnostics);
            var schemas = (root.Get("components") as YamlMappingNode)?.Get("schemas") as YamlMappingNode;
            var parameters = (root.Get("components") as YamlMappingNode)?.Get("parameters") as YamlMappingNode;
            var reader = new Reader(diagnostics, schemas, parameters);
            if (root.Get("paths") is YamlMappingNode paths)
                foreach (var (route, _, node) in paths.Entries())
                    if (node is YamlMappingNode item)
                        operations.AddRange(reader.Operations(route, item));
            if (operations.Count == 0)
                diagnostics.Report("SRC005", root.Key("paths") ?? root, "The spec has no operations under paths: there is no client to generate.");
        }
        return new ClientModel(@namespace, contractsNamespace, fileName, className, operations.ToEquatable(), diagnostics.Items.ToEquatable());
    }

    private sealed class Reader
    {
        private readonly SpecDiagnostics _diagnostics;
        private readonly YamlMappingNode? _schemas;
        private readonly YamlMappingNode? _parameters;

        public Reader(SpecDiagnostics diagnostics, YamlMappingNode? schemas, YamlMappingNode? parameters)
        {
            _diagnostics = diagnostics;
            _schemas = schemas;
            _parameters = parameters;
        }

        public IEnumerable<OperationSpec> Operations(string route, YamlMappingNode item)
        {
            var shared = ParameterList(item.Get("parameters"));
            foreach (var method in Methods)
            {
                if (item.Get(method) is not YamlMappingNode operation) continue;
                var id = operation.Scalar("operationId");
                if (string.IsNullOrEmpty(id))
                {
                    _diagnostics.Report("SRC004", item.Key(method), $"{method} {route} has no operationId, which names its method in the client.");
                    continue;
                }
                var own = ParameterList(operation.Get("parameters"));
                var all = shared.Where(p => own.All(o => o.JsonName != p.JsonName || o.In != p.In)).Concat(own).ToList();
                var (body, required) = RequestBody(id!, operation.Get("requestBody"));
                var (status, answer) = Success(id!, operation);
                yield return new OperationSpec(id!, Names.Pascal(id!) + "Async", method, route, operation.Scalar("summary"),
                    all.ToEquatable(), body, required, status, answer);
            }
        }

        private List<ParameterSpec> ParameterList(YamlNode? node)
        {
            var list = new List<ParameterSpec>();
            if (node is not YamlSequenceNode items) return list;
            foreach (var child in items.Children)
                if (Parameter(child) is { } parameter) list.Add(parameter);
            return list;
        }

        private ParameterSpec? Parameter(YamlNode node)
        {
            var map = node as YamlMappingNode;
            if (map?.Scalar("$ref") is { } reference)
                map = reference.StartsWith(ParameterPrefix, System.StringComparison.Ordinal)
                    ? _parameters?.Get(reference.Substring(ParameterPrefix.Length)) as YamlMappingNode
                    : null;
            if (map is null || map.Scalar("name") is not { } name || map.Scalar("in") is not ("path" or "query" or "header") || map.Get("schema") is not YamlMappingNode schema)
            {
                _diagnostics.Report("SRC003", node, "A parameter must be a path, query or header parameter with a name and a schema.");
                return null;
            }
            var type = schema.Scalar("type");
            if (type is not ("string" or "integer"))
            {
                _diagnostics.Report("SRC003", schema, $"Parameter '{name}' must be a string or an integer for the client.");
                return null;
            }
            var @in = map.Scalar("in")!;
            return new ParameterSpec(name, Camel(name), @in, @in == "path" || map.Scalar("required") == "true",
                type == "integer", type == "integer" && schema.Scalar("format") != "int32", map.Scalar("description"));
        }

        private (BodySpec? Body, bool Required) RequestBody(string id, YamlNode? node)
        {
            if (node is not YamlMappingNode body) return (null, false);
            var schema = Json(body.Get("content"));
            if (schema is null)
            {
                _diagnostics.Report("SRC003", body, $"The request body of {id} must be application/json with a schema.");
                return (null, false);
            }
            return (Typed(id, schema), body.Scalar("required") == "true");
        }

        private (int Status, BodySpec? Answer) Success(string id, YamlMappingNode operation)
        {
            if (operation.Get("responses") is YamlMappingNode responses)
                foreach (var (code, _, node) in responses.Entries())
                    if (int.TryParse(code, out var status) && status >= 200 && status < 300)
                        return (status, node is YamlMappingNode answer && Json(answer.Get("content")) is { } schema ? Typed(id, schema) : null);
            _diagnostics.Report("SRC004", operation.Key("responses") ?? operation, $"{id} has no 2xx answer for the client to read.");
            return (200, null);
        }

        private static YamlMappingNode? Json(YamlNode? content) =>
            (content as YamlMappingNode)?.Get("application/json") is YamlMappingNode media ? media.Get("schema") as YamlMappingNode : null;

        private BodySpec? Typed(string id, YamlMappingNode schema)
        {
            var name = schema.Scalar("$ref") is { } reference ? SpecParser.SchemaName(reference) : null;
            if (name is null || _schemas?.Get(name) is not YamlMappingNode target)
            {
                _diagnostics.Report("SRC003", schema, $"A body of {id} must be a $ref to a named schema, which the contract generates a type for.");
                return null;
            }
            if (target.Get("discriminator") is not null) return new BodySpec(name, BodyKind.Union);
            var hasProperties = target.Get("properties") is YamlMappingNode { Children.Count: > 0 };
            return new BodySpec(name, !hasProperties && target.Scalar("additionalProperties") == "true" ? BodyKind.FreeForm : BodyKind.Object);
        }

        private static string Camel(string name)
        {
            var pascal = Names.Pascal(name);
            var camel = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
            return Keywords.Contains(camel) ? "@" + camel : camel;
        }

        private static readonly HashSet<string> Keywords = new() { "object", "string", "int", "long", "class", "base", "params", "event", "operator", "namespace", "checked", "fixed", "in", "out", "ref", "default" };
    }
}
