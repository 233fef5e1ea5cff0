using System.Collections.Generic;
using System.Linq;
using Sources.Generators.Helpers;
using Sources.Generators.Model;

namespace Sources.Generators.Emitting;

/// <summary>
/// Emits one client class with a method per operation of the spec: its path, query and header
/// parameters as arguments, its request body as the contract's generated type, and its 2xx answer
/// read by that type's generated reader. Sending, and reading what came back, is the client
/// project's own small runtime (<c>ApiRequest</c>, <c>ApiAnswer</c>).
/// </summary>
internal static class ClientEmitter
{
    public static string Emit(ClientModel model)
    {
        var w = FileHeader.Start(model.Namespace, model.SpecFileName, "System.Net.Http", "System.Threading", "System.Threading.Tasks");
        FileHeader.Summary(w, $"The operations of {model.SpecFileName}, one method each.");
        w.Open($"public sealed partial class {model.ClassName}");
        w.Line("private readonly HttpClient _http;");
        w.Line();
        w.Line("/// <param name=\"http\">Sends every request: its BaseAddress is the service's, its default headers (an Authorization) go with each.</param>");
        w.Line($"public {model.ClassName}(HttpClient http) => _http = http;");
        foreach (var operation in model.Operations)
        {
            w.Line();
            Operation(w, model, operation);
        }
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void Operation(SourceWriter w, ClientModel model, OperationSpec operation)
    {
        FileHeader.Summary(w, $"{operation.Summary ?? operation.OperationId}: {operation.HttpMethod.ToUpperInvariant()} {operation.Path} ({operation.OperationId}).");
        var answer = operation.Answer is { } a ? $"ApiAnswer<{TypeOf(model, a)}>" : "ApiAnswer";
        var arguments = new List<string>();
        foreach (var p in operation.Parameters.Where(p => p.Required))
            arguments.Add($"{Type(p, nullable: false)} {p.CSharpName}");
        if (operation.Body is { } body)
            arguments.Add(operation.BodyRequired ? $"{TypeOf(model, body)} body" : $"{TypeOf(model, body)}? body = null");
        foreach (var p in operation.Parameters.Where(p => !p.Required))
            arguments.Add($"{Type(p, nullable: true)} {p.CSharpName} = null");
        arguments.Add("CancellationToken cancellation = default");

        w.Open($"public async Task<{answer}> {operation.MethodName}({string.Join(", ", arguments)})");
        w.Line($"var request = new ApiRequest(new HttpMethod({Names.Literal(operation.HttpMethod.ToUpperInvariant())}), {Names.Literal(operation.Path)});");
        foreach (var p in operation.Parameters)
        {
            var kind = p.In switch { "path" => "Path", "query" => "Query", _ => "Header" };
            w.Line($"request.{kind}({Names.Literal(p.JsonName)}, {p.CSharpName});");
        }
        if (operation.Body is not null)
            w.Line(operation.BodyRequired ? "request.Json(body);" : "if (body is not null) request.Json(body);");
        w.Line("using var response = await _http.SendAsync(request.ToMessage(), cancellation).ConfigureAwait(false);");
        w.Line(operation.Answer is { } typed
            ? $"return await ApiAnswer<{TypeOf(model, typed)}>.ReadAsync(response, {operation.SuccessStatus}, utf8 => global::{model.ContractsNamespace}.{typed.SchemaName}.Parse(utf8), cancellation).ConfigureAwait(false);"
            : $"return await ApiAnswer.ReadAsync(response, {operation.SuccessStatus}, cancellation).ConfigureAwait(false);");
        w.Close();
    }

    private static string TypeOf(ClientModel model, BodySpec body) => body.Kind switch
    {
        BodyKind.Union => $"global::{model.ContractsNamespace}.I{body.SchemaName}",
        BodyKind.FreeForm => "global::System.Text.Json.Nodes.JsonObject",
        _ => $"global::{model.ContractsNamespace}.{body.SchemaName}",
    };

    private static string Type(ParameterSpec p, bool nullable) =>
        (p.IsInteger ? (p.IsLong ? "long" : "int") : "string") + (nullable ? "?" : "");
}
