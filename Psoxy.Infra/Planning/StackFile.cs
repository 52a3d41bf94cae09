using System.Text.Json;
using Psoxy.Infra.Configuration;
using YamlDotNet.RepresentationModel;

namespace Psoxy.Infra.Planning;

/// <summary>
/// A stack's configuration read from its stack file (<c>Pulumi.&lt;stack&gt;.yaml</c>), in the form Pulumi hands it to
/// programs: strings, with lists and objects as JSON text.
/// </summary>
internal sealed class StackFile
{
    private StackFile(Dictionary<string, string> values, HashSet<string> secretKeys)
    {
        Values = values;
        SecretKeys = secretKeys;
    }

    /// <summary>Full keys (<c>psoxy:connectors</c>, <c>aws:region</c>) to raw values.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>Keys whose values are <c>secure:</c> ciphertext, which cannot be decrypted offline.</summary>
    public IReadOnlySet<string> SecretKeys { get; }

    /// <summary>The stand-in value of a secret: the plan shows it as a secret, never as this text.</summary>
    public const string SecretPlaceholder = "(secure value: not decrypted offline)";

    /// <summary>The <c>psoxy:</c> namespace, for validation.</summary>
    public IConfigSource PsoxyNamespace => new DictionaryConfigSource(
        Values.Where(kv => kv.Key.StartsWith(ConfigKeys.Namespace + ":", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[(ConfigKeys.Namespace.Length + 1)..], kv => kv.Value));

    /// <summary>
    /// A configuration given as values (full keys, Pulumi's form: scalars as text, lists and objects as JSON), with
    /// no secrets and no project defaults: for generated stacks (benchmarks, tests) rather than files.
    /// </summary>
    internal static StackFile FromValues(IReadOnlyDictionary<string, string> values) =>
        new(new Dictionary<string, string>(values, StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));

    /// <summary>
    /// Reads a stack file. The project file declares no defaults (they live in the program), so the stack file is the
    /// whole configuration.
    /// </summary>
    public static StackFile Load(string stackFilePath, string projectName)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);

        var stack = LoadMapping(stackFilePath)
            ?? throw new InvalidDataException($"{stackFilePath} is empty or not a YAML mapping.");
        if (stack.Children.TryGetValue(new YamlScalarNode("config"), out var configNode) && configNode is YamlMappingNode config)
        {
            foreach (var (keyNode, valueNode) in config.Children)
            {
                var key = QualifiedKey(((YamlScalarNode)keyNode).Value!, projectName);
                if (valueNode is YamlMappingNode secure && secure.Children.ContainsKey(new YamlScalarNode("secure")))
                {
                    values[key] = SecretPlaceholder;
                    secrets.Add(key);
                }
                else
                {
                    values[key] = ToConfigValue(valueNode);
                }
            }
        }

        return new StackFile(values, secrets);
    }

    /// <summary>Sets <c>PULUMI_CONFIG</c> and <c>PULUMI_CONFIG_SECRET_KEYS</c> as the Pulumi CLI does for a program.</summary>
    public void ExportToEnvironment()
    {
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(Values));
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", JsonSerializer.Serialize(SecretKeys.Order(StringComparer.Ordinal)));
    }

    private static YamlMappingNode? LoadMapping(string path)
    {
        using var reader = new StreamReader(path);
        var yaml = new YamlStream();
        yaml.Load(reader);
        return yaml.Documents.Count == 0 ? null : yaml.Documents[0].RootNode as YamlMappingNode;
    }

    private static string QualifiedKey(string key, string projectName) => key.Contains(':', StringComparison.Ordinal) ? key : $"{projectName}:{key}";

    /// <summary>A scalar as its text; a list or map as JSON, as Pulumi passes structured values.</summary>
    private static string ToConfigValue(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        _ => JsonSerializer.Serialize(ToJsonValue(node)),
    };

    private static object? ToJsonValue(YamlNode node) => node switch
    {
        YamlSequenceNode sequence => sequence.Children.Select(ToJsonValue).ToList(),
        YamlMappingNode mapping => mapping.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ToJsonValue(kv.Value)),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => PlainScalar(scalar.Value),
        YamlScalarNode scalar => scalar.Value,
        _ => null,
    };

    // Unquoted YAML scalars keep their YAML type inside structured values: numbers, booleans, null.
    private static object? PlainScalar(string? value) => value switch
    {
        null or "null" or "~" => null,
        "true" => true,
        "false" => false,
        _ when long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ when double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => value,
    };
}
