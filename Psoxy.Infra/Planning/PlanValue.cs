using System.Text.Json.Nodes;

namespace Psoxy.Infra.Planning;

/// <summary>
/// The two values a plan cannot show: one not known until deployment, and a secret. Each is a JSON object keyed by
/// Pulumi's signature key for special values, which no real value can carry, with Pulumi's signature of an unknown
/// output value or of a secret.
/// </summary>
internal static class PlanValue
{
    /// <summary>Pulumi's key marking a special value (secret, output value, asset...).</summary>
    public const string SignatureKey = "4dabf18193072939515e22adb298388d";

    /// <summary>Pulumi's signature of an output value: with no value beside it, an unknown one.</summary>
    public const string UnknownSignature = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

    /// <summary>Pulumi's signature of a secret.</summary>
    public const string SecretSignature = "1b47061264138c4ac30d75fd1eb44270";

    /// <summary>How people read an unknown value.</summary>
    public const string UnknownText = Hosts.PreviewValue.KnownAfterDeploy;

    /// <summary>
    /// Stands, inside a value shown to people, for a part not known until deployment (a client id in a map, an ARN
    /// in a policy). Only the display-only run of the plan produces it; it never reaches JSON for tools
    /// (<see cref="ForTools"/>).
    /// </summary>
    public const string UnknownToken = "\u27E8known after deploy\u27E9";

    /// <summary><see cref="UnknownToken"/> as JSON text escapes it.</summary>
    private const string EscapedUnknownToken = "\\u27E8known after deploy\\u27E9";

    /// <summary>How people read a secret.</summary>
    public const string SecretText = "[secret]";

    public static JsonObject Unknown() => new() { [SignatureKey] = UnknownSignature };

    public static JsonObject Secret() => new() { [SignatureKey] = SecretSignature };

    public static bool IsUnknown(JsonNode? node) => Is(node, UnknownSignature);

    public static bool IsSecret(JsonNode? node) => Is(node, SecretSignature);

    private static bool Is(JsonNode? node, string signature) =>
        node is JsonObject { Count: 1 } o && o.TryGetPropertyValue(SignatureKey, out var value) && value is JsonValue v && v.TryGetValue<string>(out var s) && s == signature;

    /// <summary>A copy of <paramref name="node"/> for people to read: each marker and token replaced by its text.</summary>
    public static JsonNode? ForPeople(JsonNode? node) => node switch
    {
        _ when IsUnknown(node) => UnknownText,
        _ when IsSecret(node) => SecretText,
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, ForPeople(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(ForPeople)]),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Replace(UnknownToken, UnknownText, StringComparison.Ordinal),
        _ => node?.DeepClone(),
    };

    /// <summary>
    /// A value from the display-only run as tools read it: a string holding a part not known yet is unknown as a whole,
    /// as Pulumi sends it; objects and lists keep their known members.
    /// </summary>
    public static JsonNode? ForTools(JsonNode? node) => node switch
    {
        // A JSON document in a string (an IAM policy) holds the token escaped.
        JsonValue v when v.TryGetValue<string>(out var s) && (s.Contains(UnknownToken, StringComparison.Ordinal) || s.Contains(EscapedUnknownToken, StringComparison.OrdinalIgnoreCase)) => Unknown(),
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, ForTools(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(ForTools)]),
        _ => node?.DeepClone(),
    };

    /// <summary>A value from the display-only run, with the parts not known yet marked: a token that is the whole value becomes the marker.</summary>
    public static JsonNode? WithUnknownParts(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) && s == UnknownToken => Unknown(),
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, WithUnknownParts(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(WithUnknownParts)]),
        _ => node?.DeepClone(),
    };
}
