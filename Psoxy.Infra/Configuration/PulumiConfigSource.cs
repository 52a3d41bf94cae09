using System.Text.Json;
using Pulumi;

namespace Psoxy.Infra.Configuration;

/// <summary>The <c>psoxy</c> namespace of the running stack's configuration.</summary>
internal sealed class PulumiConfigSource : IConfigSource
{
    private readonly Config _config = new(ConfigKeys.Namespace);

    public string? Get(string name) => _config.Get(name);

    /// <summary>
    /// The names set in the namespace. Pulumi's Config API reads keys one by one; the key list comes from where the
    /// Pulumi CLI hands a program its configuration, the <c>PULUMI_CONFIG</c> environment variable (a JSON object of
    /// <c>namespace:key</c>, or the legacy <c>namespace:config:key</c>).
    /// </summary>
    public IEnumerable<string> Names
    {
        get
        {
            var text = Environment.GetEnvironmentVariable("PULUMI_CONFIG");
            if (string.IsNullOrEmpty(text))
            {
                return [];
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return [];
                }

                var prefix = ConfigKeys.Namespace + ":";
                return document.RootElement.EnumerateObject()
                    .Select(p => p.Name)
                    .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
                    .Select(n => n[prefix.Length..])
                    .Select(n => n.StartsWith("config:", StringComparison.Ordinal) ? n["config:".Length..] : n)
                    .ToList();
            }
            catch (JsonException)
            {
                return [];
            }
        }
    }

    /// <summary>Whether the key is secret, from where the Pulumi CLI lists the secret keys: <c>PULUMI_CONFIG_SECRET_KEYS</c>, a JSON array of full keys.</summary>
    public bool IsSecret(string name)
    {
        var text = Environment.GetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS");
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Array
                && document.RootElement.EnumerateArray().Any(k => k.ValueKind == JsonValueKind.String && k.GetString() is { } key
                    && (key == ConfigKeys.Full(name) || key == $"{ConfigKeys.Namespace}:config:{name}"));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
