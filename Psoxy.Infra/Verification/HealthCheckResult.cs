using System.Text.Json;

namespace Psoxy.Infra.Verification;

/// <summary>
/// The fields of Psoxy's health check answer that say whether the instance is configured (Psoxy's own
/// <c>HealthCheckResult.passed()</c> uses the same ones); the rest of the JSON is ignored.
/// </summary>
/// <param name="ConfiguredSource">The instance's <c>SOURCE</c>, which picks its prebuilt rules.</param>
/// <param name="NonDefaultSalt">Whether the instance found its <c>PSOXY_SALT</c> secret.</param>
/// <param name="MissingConfigProperties">Required configuration the instance could not find.</param>
/// <param name="ClientIpAuthorized">Whether the caller's IP may read data; null when no IP lockdown is set.</param>
/// <param name="Version">The proxy version, when reported.</param>
internal sealed record HealthCheckResult(
    string? ConfiguredSource,
    bool NonDefaultSalt,
    IReadOnlyList<string> MissingConfigProperties,
    bool? ClientIpAuthorized,
    string? Version)
{
    /// <summary>
    /// The fingerprint of the salt the instance uses (Psoxy's <c>saltSha256Hash</c>, see <see cref="Hosts.PsoxySaltHash"/>);
    /// null when it reports none (older versions, or no salt found).
    /// </summary>
    public string? SaltSha256Hash { get; init; }

    /// <summary>What the instance warns about in its own configuration (Psoxy's <c>warningMessages</c>).</summary>
    public IReadOnlyList<string> WarningMessages { get; init; } = [];

    /// <summary>Reads the health check JSON; null when the text is not a health check answer.</summary>
    public static HealthCheckResult? TryParse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            // Every Psoxy version reports at least these two; anything without them is some other page.
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("nonDefaultSalt", out _) ||
                !root.TryGetProperty("missingConfigProperties", out _))
            {
                return null;
            }

            return new HealthCheckResult(
                String(root, "configuredSource"),
                root.GetProperty("nonDefaultSalt").ValueKind == JsonValueKind.True,
                Strings(root, "missingConfigProperties"),
                Boolean(root, "clientIpAuthorized"),
                String(root, "version"))
            {
                SaltSha256Hash = String(root, "saltSha256Hash"),
                WarningMessages = Strings(root, "warningMessages", sorted: false),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? Boolean(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static List<string> Strings(JsonElement root, string name, bool sorted = true)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var strings = value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!);
        return (sorted ? strings.Order(StringComparer.Ordinal) : strings).ToList();
    }
}
