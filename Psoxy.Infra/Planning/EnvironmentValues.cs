using System.Globalization;
using System.Text.Json;
using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Planning;

/// <summary>A file given with <c>--environment-values</c> that is not the JSON of an opened ESC environment.</summary>
internal sealed class EnvironmentValuesException(string message) : Exception(message);

/// <summary>
/// The stack configuration an opened Pulumi ESC environment supplies: the <c>pulumiConfig</c> object of
/// <c>esc env open &lt;environment&gt; --format json</c> (https://www.pulumi.com/docs/esc/environments/syntax/reserved-properties/pulumi-config/),
/// in the form Pulumi hands configuration to programs (full keys; text as is, numbers and booleans as written,
/// lists and objects as JSON). A key without a namespace is in the project's, as in a stack file.
/// </summary>
internal sealed class EnvironmentValues
{
    private EnvironmentValues(Dictionary<string, string> values, HashSet<string> secretKeys)
    {
        Values = values;
        SecretKeys = secretKeys;
    }

    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>
    /// The keys kept secret: the JSON does not say which values ESC holds as secrets, so the program's secrets
    /// (the salt and the encryption key) are always secret, wherever they come from.
    /// </summary>
    public IReadOnlySet<string> SecretKeys { get; }

    /// <summary>The largest file read: an environment's values are a few KiB.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>Reads <paramref name="path"/>; throws <see cref="EnvironmentValuesException"/> naming the option, the file and what is wrong.</summary>
    public static EnvironmentValues Load(string path, string project)
    {
        string Fail(string what) => $"--environment-values '{path}' {what}";
        const string Expected = "the JSON that `esc env open <environment> --format json` prints: an object whose pulumiConfig object holds the stack configuration, e.g. { \"pulumiConfig\": { \"psoxy:pseudonymSalt\": \"…\" } }";

        byte[] bytes;
        try
        {
            if (Directory.Exists(path))
            {
                throw new EnvironmentValuesException(Fail("is a directory; give the file of " + Expected));
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new EnvironmentValuesException(Fail("does not exist; give the file of " + Expected));
            }

            if (info.Length > MaxFileBytes)
            {
                throw new EnvironmentValuesException(Fail($"is {info.Length / 1024} KiB, more than an environment's values ({MaxFileBytes / 1024} KiB at most are read): is it the right file?"));
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new EnvironmentValuesException(Fail($"cannot be read ({e.Message})"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            // The position only: the file holds secrets in clear, so none of its text is repeated.
            throw new EnvironmentValuesException(Fail($"is not JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); give " + Expected));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EnvironmentValuesException(Fail("does not hold a JSON object; give " + Expected));
            }

            if (!document.RootElement.TryGetProperty("pulumiConfig", out var config))
            {
                throw new EnvironmentValuesException(Fail("has no pulumiConfig: the environment supplies no stack configuration; give " + Expected));
            }

            if (config.ValueKind != JsonValueKind.Object)
            {
                throw new EnvironmentValuesException(Fail("has a pulumiConfig that is not an object; give " + Expected));
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var secrets = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in config.EnumerateObject())
            {
                var parts = property.Name.Split(':');
                if (parts.Length > 2 || parts.Any(p => p.Length == 0 || p != p.Trim()))
                {
                    throw new EnvironmentValuesException(Fail($"has the pulumiConfig key '{property.Name}', which is not a configuration key (namespace:name, or a name in this project's namespace)"));
                }

                var key = parts.Length == 1 ? $"{project}:{property.Name}" : property.Name;
                var text = property.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => property.Value.GetRawText(),
                };
                if (text is null)
                {
                    continue;
                }

                values[key] = text;
                if (key == ConfigKeys.Full(ConfigKeys.PseudonymSalt) || key == ConfigKeys.Full(ConfigKeys.EncryptionKey))
                {
                    secrets.Add(key);
                }
            }

            return new EnvironmentValues(values, secrets);
        }
    }

    /// <summary>Several opened environments, merged in order: a later one's value wins, as ESC merges imports.</summary>
    public static EnvironmentValues Merge(IEnumerable<EnvironmentValues> environments)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var environment in environments)
        {
            foreach (var (key, value) in environment.Values)
            {
                values[key] = value;
                secrets.Remove(key);
            }

            secrets.UnionWith(environment.SecretKeys);
        }

        return new EnvironmentValues(values, secrets);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Values.Count} configuration values");
}
