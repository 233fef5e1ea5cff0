using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sources.Api.Responses;

public static class JsonOutputOptions
{
    /// <summary>Answers are application/json, never HTML, so '+' and quotes need no escaping.</summary>
    public static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
