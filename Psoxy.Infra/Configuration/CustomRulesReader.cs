using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Psoxy.Infra.Catalog;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Psoxy.Infra.Configuration;

/// <summary>
/// Reads <c>psoxy:customRules</c>: per enabled connector, a YAML rules file, checked before anything is declared:
/// it exists, is YAML (Psoxy's tags such as <c>!&lt;pseudonymize&gt;</c> included) and fits where the host puts it.
/// </summary>
internal static partial class CustomRulesReader
{
    private const string Allowed = "a map from an enabled connector id to the path of its YAML rules file (relative to the project directory, where Pulumi.yaml is, or absolute), e.g. { outlook-mail: custom-rules/outlook-mail.yaml }";
    private const string FileAllowed = "allowed: a YAML file of Psoxy rules, e.g. 'endpoints:' with a list of endpoints and their transforms";

    /// <summary>No rules file comes near this; a larger one is refused before it is read whole.</summary>
    private const long MaxFileBytes = 1024 * 1024;

    /// <summary>
    /// On GCP, what the program's own variables (SOURCE, CLIENT_ID, REFRESH_ENDPOINT, the config paths...) may take of a
    /// function's environment, leaving the rest for the rules; a test checks that they stay within it.
    /// </summary>
    public const int GcpProgramVariablesAllowance = 2048;

    // YamlDotNet puts the position first in its messages: "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): ...".
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();

    /// <param name="host">The host, for the size limit of where the rules go; null when it is itself invalid.</param>
    /// <param name="userVariableBytes">What the configured variables take of a function's environment (GCP).</param>
    public static Dictionary<string, CustomRules> Read(IConfigSource source, IReadOnlyList<ConnectorSpec> connectors, HostPlatform? host, int userVariableBytes, List<ConfigProblem> problems)
    {
        var result = new Dictionary<string, CustomRules>(StringComparer.Ordinal);
        var raw = source.Get(ConfigKeys.CustomRules);
        if (raw is null || StackSettingsReader.ReadMap(raw, ConfigKeys.CustomRules, Allowed, problems) is not { } map)
        {
            return result;
        }

        var enabled = connectors.Select(c => c.Id).ToList();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, element) in map)
        {
            var id = ConnectorCatalog.DeprecatedAliases.GetValueOrDefault(key, key);
            var enabledList = enabled.Count == 0 ? "the ids in psoxy:connectors" : $"the enabled connectors ({string.Join(", ", enabled)})";
            if (ConnectorCatalog.Find(id) is null)
            {
                var hint = Spelling.Closest(key, ConnectorCatalog.All.Select(c => c.Id)) is { } closest ? $" (did you mean {closest}?)" : string.Empty;
                problems.Add(new(ConfigKeys.CustomRules, key, $"not a connector id{hint}; allowed keys: {enabledList}"));
            }
            else if (connectors.Count > 0 && !enabled.Contains(id))
            {
                problems.Add(new(ConfigKeys.CustomRules, key, $"this connector is not in psoxy:connectors; allowed keys: {enabledList}"));
            }
            else if (!keys.TryAdd(id, key))
            {
                problems.Add(new(ConfigKeys.CustomRules, key, $"'{keys[id]}' and '{key}' are the same connector; each connector may have one rules file"));
            }
            else if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 } file || string.IsNullOrWhiteSpace(file))
            {
                problems.Add(new(ConfigKeys.CustomRules, $"{key}: {element.GetRawText()}", "allowed: " + Allowed));
            }
            else if (Load(id, file, $"{key}: {file}", problems) is { } rules && FitsHost(rules, host, $"{key}: {file}", userVariableBytes, problems))
            {
                result[id] = rules;
            }
        }

        return result;
    }

    private static CustomRules? Load(string connectorId, string file, string shown, List<ConfigProblem> problems)
    {
        var path = ProjectPaths.Resolve(file);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problems.Add(new(ConfigKeys.CustomRules, shown, "no such file (a relative path is resolved against the project directory, where Pulumi.yaml is); allowed: the path of an existing YAML rules file"));
                return null;
            }

            if (info.Length > MaxFileBytes)
            {
                problems.Add(new(ConfigKeys.CustomRules, shown, $"{info.Length} bytes, far larger than any host stores rules (AWS: {ServiceLimits.SsmAdvancedParameterBytes} bytes, GCP: {ServiceLimits.CloudFunctionEnvironmentBytes} bytes); {FileAllowed}"));
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new(ConfigKeys.CustomRules, shown, $"cannot be read ({e.Message}); allowed: the path of a readable YAML rules file"));
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            problems.Add(new(ConfigKeys.CustomRules, shown, $"not UTF-8 text; {FileAllowed}"));
            return null;
        }

        // The representation model keeps tags as they are written, so Psoxy's own (!<pseudonymize>, !<redact>...) are YAML like any other.
        var yaml = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            yaml.Load(reader);
        }
        catch (YamlException e)
        {
            var message = PositionPrefix().Replace(e.Message, string.Empty);
            problems.Add(new(ConfigKeys.CustomRules, shown, $"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {message}; {FileAllowed}"));
            return null;
        }

        if (yaml.Documents is not [{ RootNode: YamlMappingNode }])
        {
            var what = yaml.Documents.Count switch
            {
                0 => "empty",
                1 => $"not Psoxy rules: its top level (line {yaml.Documents[0].RootNode.Start.Line}) is not a mapping",
                _ => $"{yaml.Documents.Count} YAML documents, where Psoxy reads one",
            };
            problems.Add(new(ConfigKeys.CustomRules, shown, $"{what}; {FileAllowed}"));
            return null;
        }

        return new CustomRules(connectorId, file, text, CustomRules.Sha1Of(bytes));
    }

    /// <summary>Whether the rules fit where the host stores them; a problem naming the limit and its source when not.</summary>
    private static bool FitsHost(CustomRules rules, HostPlatform? host, string shown, int userVariableBytes, List<ConfigProblem> problems)
    {
        var size = Encoding.UTF8.GetByteCount(rules.Yaml);
        switch (host)
        {
            case HostPlatform.Aws:
                var stored = Encoding.UTF8.GetByteCount(rules.SsmValue);
                // aws-ssm-rules: the value (compressed when over the limit) must stay below an advanced parameter's size.
                if (stored >= ServiceLimits.SsmAdvancedParameterBytes)
                {
                    problems.Add(new(ConfigKeys.CustomRules, shown,
                        $"{size} bytes, still {stored} gzipped and base64-encoded: too large for the SSM parameter {CustomRules.RulesName}, which holds less than {ServiceLimits.SsmAdvancedParameterBytes} bytes as Psoxy stores it (advanced tier, {ServiceLimits.SsmParameterSource}); allowed: rules that fit, plain or compressed"));
                    return false;
                }

                return true;
            case HostPlatform.Gcp:
                var variable = rules.GcpVariableValue.Length;
                var left = ServiceLimits.CloudFunctionEnvironmentBytes - GcpProgramVariablesAllowance - userVariableBytes
                    - CustomRules.RulesName.Length - CustomRules.ShaVariable.Length - rules.Sha1.Length;
                if (variable > left)
                {
                    problems.Add(new(ConfigKeys.CustomRules, shown,
                        $"{size} bytes, {variable} gzipped and base64-encoded as the {CustomRules.RulesName} variable: too large for the function's environment, which holds {ServiceLimits.CloudFunctionEnvironmentBytes} bytes of variables in all ({ServiceLimits.CloudFunctionEnvironmentSource}), {Math.Max(left, 0)} of them left for the rules beside the program's and psoxy:environmentVariables; allowed: rules that fit"));
                    return false;
                }

                return true;
            default:
                return true;
        }
    }
}
