using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Psoxy.Infra.Planning;

/// <summary>How a plan is rendered for people: colour (terminals only), whether long values are shortened, and
/// whether the instructions documents follow the resources.</summary>
internal sealed record PlanRenderOptions(bool Color, bool Compact, bool Instructions = true)
{
    public static readonly PlanRenderOptions Plain = new(Color: false, Compact: false);
}

/// <summary>
/// Values as people read them in a plan: every known value whole (JSON documents inside strings, such as IAM
/// policies, pretty-printed), values not known yet and secrets marked in words, and only with <c>--compact</c> one
/// shortened line each.
/// </summary>
internal sealed class PlanText(PlanRenderOptions options)
{
    public const int CompactLength = 160;

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public bool Compact => options.Compact;

    public bool Instructions => options.Instructions;

    // ANSI styles, used only when colour is on.
    public string Added(string text) => Style("32", text);
    public string Type(string text) => Style("36", text);
    public string Warning(string text) => Style("33", text);
    public string Heading(string text) => Style("1", text);
    private string UnknownStyle(string text) => Style("2;3", text);
    private string SecretStyle(string text) => Style("35", text);

    private string Style(string code, string text) => options.Color ? $"\u001b[{code}m{text}\u001b[0m" : text;

    /// <summary>
    /// The value as text. Multi-line unless compact: the first line follows the key, each further line starts with
    /// <paramref name="indent"/>.
    /// </summary>
    public string Value(JsonNode? value, string indent)
    {
        if (options.Compact)
        {
            var line = OneLine(value);
            return line.Length > CompactLength ? line[..CompactLength] + "…" : line;
        }

        var text = new StringBuilder();
        Write(text, value, indent);
        return text.ToString();
    }

    private void Write(StringBuilder text, JsonNode? value, string indent)
    {
        switch (value)
        {
            case var _ when PlanValue.IsUnknown(value):
                text.Append(UnknownStyle(PlanValue.UnknownText));
                break;
            case var _ when PlanValue.IsSecret(value):
                text.Append(SecretStyle(PlanValue.SecretText));
                break;
            case JsonValue v when v.TryGetValue<string>(out var s) && EmbeddedDocument(s) is { } document:
                // A JSON document in a string (an IAM policy): shown as the document it is.
                Write(text, document, indent);
                break;
            case JsonObject o when o.Count == 0:
                text.Append("{}");
                break;
            case JsonObject o:
                text.Append('{');
                var first = true;
                foreach (var (key, member) in o)
                {
                    text.Append(first ? string.Empty : ",").Append('\n').Append(indent).Append("  ").Append(JsonSerializer.Serialize(key, Readable)).Append(": ");
                    Write(text, member, indent + "  ");
                    first = false;
                }

                text.Append('\n').Append(indent).Append('}');
                break;
            case JsonArray a when a.Count == 0:
                text.Append("[]");
                break;
            case JsonArray a when a.All(item => item is JsonValue && !IsDocument(item)):
                // A list of plain values on one line, as long as it stays readable.
                var inline = "[" + string.Join(", ", a.Select(OneLine)) + "]";
                if (inline.Length <= 100)
                {
                    text.Append(inline);
                    break;
                }

                goto default;
            case JsonArray a:
                text.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    text.Append(i == 0 ? string.Empty : ",").Append('\n').Append(indent).Append("  ");
                    Write(text, a[i], indent + "  ");
                }

                text.Append('\n').Append(indent).Append(']');
                break;
            default:
                text.Append(OneLine(value));
                break;
        }
    }

    private static bool IsDocument(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && EmbeddedDocument(s) is not null;

    /// <summary>The value on one line, markers in words.</summary>
    public string OneLine(JsonNode? value) => value switch
    {
        _ when PlanValue.IsUnknown(value) => UnknownStyle(PlanValue.UnknownText),
        _ when PlanValue.IsSecret(value) => SecretStyle(PlanValue.SecretText),
        JsonValue v when v.TryGetValue<string>(out var s) => Quoted(s),
        JsonObject o => "{" + string.Join(", ", o.Select(kv => JsonSerializer.Serialize(kv.Key, Readable) + ": " + OneLine(kv.Value))) + "}",
        JsonArray a => "[" + string.Join(", ", a.Select(OneLine)) + "]",
        null => "null",
        _ => value.ToJsonString(Readable),
    };

    /// <summary>
    /// A string as JSON, with each part not known yet (<see cref="PlanValue.UnknownToken"/>) in words, and a Microsoft
    /// Graph application permission's GUID followed by its name, so a reviewer sees what is requested where.
    /// </summary>
    private string Quoted(string text)
    {
        const string Mark = "\u0001";
        var quoted = JsonSerializer.Serialize(text.Replace(PlanValue.UnknownToken, Mark, StringComparison.Ordinal), Readable);
        var permission = (text == Catalog.GraphAppRoles.GraphAppId ? "Microsoft Graph" : Catalog.GraphAppRoles.NameOf(text)) is { } name ? " " + UnknownStyle($"({name})") : string.Empty;
        return quoted.Replace("\\u0001", UnknownStyle(PlanValue.UnknownText), StringComparison.Ordinal) + permission;
    }

    /// <summary>The JSON object or array a string holds, or null when it holds none.</summary>
    private static JsonNode? EmbeddedDocument(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length < 2 || (trimmed[0] != '{' && trimmed[0] != '['))
        {
            return null;
        }

        try
        {
            var document = JsonNode.Parse(text);
            return document is JsonObject or JsonArray ? document : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
