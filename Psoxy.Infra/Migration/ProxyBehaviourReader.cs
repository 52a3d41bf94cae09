using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Migration;

/// <summary>A connector's custom rules as the deployment serves them (not secret: they say what the proxy returns).</summary>
/// <param name="ConnectorId">The connector (this program's id).</param>
/// <param name="Yaml">The rules, decoded as Psoxy's RulesUtils decodes them.</param>
/// <param name="Source">Where they were read, for the hand-off.</param>
internal sealed record MigratedRules(string ConnectorId, string Yaml, string Source)
{
    /// <summary>The rules file, relative to the project directory, that <c>psoxy:customRules</c> names.</summary>
    public string File => $"{CustomRulesFolder}/{ConnectorId}.yaml";

    public const string CustomRulesFolder = "custom-rules";
}

/// <summary>What the functions' environment and the caller role's trust make the proxy do, beyond the connectors.</summary>
internal sealed record ProxyBehaviour(
    IReadOnlyList<string>? AllowedDataAccessIpBlocks,
    IReadOnlyDictionary<string, string> EnvironmentVariables,
    IReadOnlyList<MigratedRules> CustomRules,
    IReadOnlyList<string> NotCarried);

/// <summary>
/// Reads the IP allowlist, Psoxy's <c>general_environment_variables</c> and custom rules of a deployment, and lists
/// what it does not understand instead of dropping it. Never reads a stored secret; names variables, never their values.
/// </summary>
internal static class ProxyBehaviourReader
{
    /// <summary>Variables Psoxy's modules set that the stack needs not: the Java never reads them, or the provider adds them.</summary>
    private static readonly HashSet<string> Unneeded = new(StringComparer.Ordinal)
    {
        // aws-proxy-lambda: "used for anything? doesn't seem accessed by Java code".
        "EXECUTION_ROLE",
        // gcp-proxy-api: added by the google provider itself.
        "LOG_EXECUTION_ID",
    };

    /// <summary>Variables of Psoxy features this program does not deploy (async output, remote resources, load balancer, New Relic).</summary>
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "ASYNC_OUTPUT_DESTINATION", "ASYNC_API_REQUEST_QUEUE_URL", "ASYNC_PUB_SUB_QUEUE",
        "REMOTE_RESOURCE_BUCKET", "INSTANCE_RESOURCE_PATH", "SHARED_RESOURCE_PATH",
        "REQUEST_PATH_PREFIX_TO_TRIM", "NEW_RELIC_ACCOUNT_ID", "NEW_RELIC_LAMBDA_HANDLER",
    };

    /// <summary>
    /// Stored values Psoxy also reads from the environment (ProxyConfigProperty: SALT_IP, SALT_EMAIL_DOMAINS,
    /// ENCRYPTION_KEY_IP, ENCRYPTION_KEY_EMAIL_DOMAINS) and names that say secret: never copied into plain configuration.
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex SecretName = new(
        "^(SALT_IP|SALT_EMAIL_DOMAINS|ENCRYPTION_KEY_IP|ENCRYPTION_KEY_EMAIL_DOMAINS)$|SECRET|PASSWORD|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public static ProxyBehaviour Read(TerraformState state, IReadOnlyList<MigratedConnector> connectors, TerraformResource? callerRole, List<string> risks)
    {
        var notCarried = new List<string>();
        var blocks = ReadAllowlist(connectors, callerRole, risks, notCarried);
        var variables = ReadGeneralVariables(connectors, risks, notCarried);
        var rules = ReadRules(state, connectors, risks, notCarried);
        return new ProxyBehaviour(blocks, variables, rules, notCarried);
    }

    private static List<string>? ReadAllowlist(IReadOnlyList<MigratedConnector> connectors, TerraformResource? callerRole, List<string> risks, List<string> notCarried)
    {
        // aws-proxy-api / gcp-proxy-api: the blocks comma-joined; Psoxy's ApiModeConfig splits them again.
        static List<string>? Split(string? text) => text is null
            ? null
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        static string Shown(List<string>? list) => list is null ? "none" : string.Join(", ", list);
        static string SetOf(List<string>? list) => list is null ? "none" : string.Join(",", list.Order(StringComparer.Ordinal));

        var sources = connectors.Select(c => ($"{c.FunctionName} (ALLOWED_DATA_ACCESS_IP_BLOCKS)", Split(c.Environment.GetValueOrDefault("ALLOWED_DATA_ACCESS_IP_BLOCKS")))).ToList();
        if (callerRole is not null)
        {
            // aws module: each caller statement of the api-caller role gets ForAnyValue:IpAddress aws:SourceIp.
            sources.AddRange(TrustStatements(callerRole).Where(s => !IsLambdaServiceStatement(s)).Select((s, i) => ($"the caller role's trust statement {i + 1} (aws:SourceIp)", SourceIpOf(s))));
        }

        // The same blocks in any order agree; the functions' order is kept (it is the variable's value).
        var distinct = sources.Select(s => s.Item2).DistinctBy(SetOf).ToList();
        if (distinct.Count == 1)
        {
            var only = distinct[0];
            if (only is not null && only.FirstOrDefault(b => !StackSettingsReader.IsIpBlock(b)) is { } bad)
            {
                notCarried.Add("the IP allowlist");
                risks.Add($"The IP allowlist ({Shown(only)}) has '{bad}', which is not an IP address or CIDR block: it is not carried over. Set {ConfigKeys.Full(ConfigKeys.AllowedDataAccessIpBlocks)} yourself before `pulumi up`, or the proxies accept requests from any address.");
                return null;
            }

            return only;
        }

        notCarried.Add("the IP allowlist");
        risks.Add($"The IP allowlist differs between the functions and the caller role ({string.Join("; ", sources.Select(s => $"{s.Item1}: {Shown(s.Item2)}"))}): "
            + $"it is not carried over, as the stack sets one list on every proxy and caller statement. Set {ConfigKeys.Full(ConfigKeys.AllowedDataAccessIpBlocks)} to the blocks Worklytics calls from before `pulumi up`, or the proxies accept requests from any address.");
        return null;
    }

    private static Dictionary<string, string> ReadGeneralVariables(IReadOnlyList<MigratedConnector> connectors, List<string> risks, List<string> notCarried)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = connectors.SelectMany(c => c.Environment.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (ProxyOptions.ManagedVariableNames.Contains(name) || Unneeded.Contains(name))
            {
                continue;
            }

            var holders = connectors.Where(c => c.Environment.ContainsKey(name)).ToList();
            if (Unsupported.Contains(name) || name.StartsWith("NEW_RELIC_", StringComparison.Ordinal))
            {
                notCarried.Add(name);
                risks.Add($"{name} (on {string.Join(", ", holders.Select(c => c.FunctionName))}) belongs to a Psoxy feature this program does not deploy (async output, remote resources, an external load balancer or New Relic): not carried over, the new proxies run without it.");
            }
            else if (SecretName.IsMatch(name.ToUpperInvariant()))
            {
                notCarried.Add(name);
                risks.Add($"{name} (on {string.Join(", ", holders.Select(c => c.FunctionName))}) holds, by its name, a secret: not carried over, as {ConfigKeys.Full(ConfigKeys.EnvironmentVariables)} is plain configuration. "
                    + "If the proxies need it (Psoxy's SALT_IP and SALT_EMAIL_DOMAINS shape pseudonyms like the salt), store it in the host's secret store under the name Psoxy reads, and review it before switching Worklytics.");
            }
            else if (!StackSettingsReader.VariableNamePattern().IsMatch(name) || StackSettingsReader.PlatformVariablePattern().IsMatch(name))
            {
                notCarried.Add(name);
                risks.Add($"{name} (on {string.Join(", ", holders.Select(c => c.FunctionName))}) is not a variable {ConfigKeys.Full(ConfigKeys.EnvironmentVariables)} may set (a platform's reserved name, or not a plain name): not carried over.");
            }
            else if (holders.Count < connectors.Count || holders.Select(c => c.Environment[name]).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                // Per-connector variables (a connector spec's own environment_variables) differ; the stack sets one map on every instance.
                notCarried.Add(name);
                risks.Add($"{name} is not the same on every function ({(holders.Count < connectors.Count ? $"set on {string.Join(", ", holders.Select(c => c.FunctionName))} only" : $"its value differs between {string.Join(", ", holders.Select(c => c.FunctionName))}")}): "
                    + $"not carried over, as {ConfigKeys.Full(ConfigKeys.EnvironmentVariables)} sets the same value on every proxy. Add it there if every proxy should have it.");
            }
            else
            {
                result[name] = holders[0].Environment[name];
            }
        }

        return result;
    }

    private static List<MigratedRules> ReadRules(TerraformState state, IReadOnlyList<MigratedConnector> connectors, List<string> risks, List<string> notCarried)
    {
        var result = new List<MigratedRules>();
        foreach (var connector in connectors)
        {
            var key = TerraformState.ModuleKey(connector.Function.Address, "api_connector") ?? connector.Spec.Id;
            string? stored = null;
            string? source = null;
            if (connector.Environment.GetValueOrDefault(CustomRules.RulesName) is { Length: > 0 } variable)
            {
                // gcp-host: RULES = base64gzip(rules) on the function itself.
                stored = variable;
                source = $"the RULES variable of {connector.Function.Address}";
            }
            else if (RulesParameter(state, key) is { } parameter)
            {
                // aws-host: module custom_api_connector_rules / api_connector_rules_raw (aws-ssm-rules) stores them in <instance prefix>RULES.
                stored = parameter.String("insecure_value") ?? parameter.String("value");
                source = $"the SSM parameter {parameter.String("name")} ({parameter.Address})";
            }

            var sha = connector.Environment.GetValueOrDefault(CustomRules.ShaVariable);
            if (stored is null)
            {
                if (sha is { Length: > 0 })
                {
                    notCarried.Add($"{connector.Spec.Id} custom rules");
                    risks.Add($"{connector.FunctionName} has CUSTOM_RULES_SHA {sha} but its rules are in neither its RULES variable nor an SSM parameter of this state: they are not carried over, and the new proxy would serve the prebuilt rules. "
                        + $"Add the rules file under {ConfigKeys.Full(ConfigKeys.CustomRules)} ({connector.Spec.Id}: <file>) before `pulumi up`.");
                }

                continue;
            }

            if (Decode(stored) is not { } yaml)
            {
                notCarried.Add($"{connector.Spec.Id} custom rules");
                risks.Add($"The custom rules of {connector.Spec.Id} ({source}) are neither YAML text nor base64-encoded gzip: not carried over. Add the rules file under {ConfigKeys.Full(ConfigKeys.CustomRules)} before `pulumi up`.");
                continue;
            }

            var actual = CustomRules.Sha1Of(Encoding.UTF8.GetBytes(yaml));
            if (sha is { Length: > 0 } && !string.Equals(sha, actual, StringComparison.OrdinalIgnoreCase))
            {
                risks.Add($"The custom rules of {connector.Spec.Id} ({source}) do not match the function's CUSTOM_RULES_SHA ({sha}; the rules' SHA-1 is {actual}): the rules read are carried over, as they are what the proxy reads; check them.");
            }

            result.Add(new MigratedRules(connector.Spec.Id, yaml, source!));
        }

        return result;
    }

    private static TerraformResource? RulesParameter(TerraformState state, string key) =>
        state.Managed("aws_ssm_parameter").FirstOrDefault(p => p.Name == "rules"
            && (TerraformState.ModuleKey(p.Address, "custom_api_connector_rules") == key || TerraformState.ModuleKey(p.Address, "api_connector_rules_raw") == key));

    /// <summary>As Psoxy's RulesUtils: plain YAML, or base64-encoded gzip of it (aws-ssm-rules above 8 KB, gcp-host always).</summary>
    private static string? Decode(string stored)
    {
        var bytes = new byte[stored.Length];
        if (Convert.TryFromBase64String(stored.Trim(), bytes, out var length) && length > 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes, 0, length), CompressionMode.Decompress);
                using var reader = new StreamReader(gzip, new UTF8Encoding(false, throwOnInvalidBytes: true));
                return reader.ReadToEnd();
            }
            catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
            {
                return null;
            }
        }

        // Plain rules are YAML text; a base64 string that is not gzip is not rules Psoxy could read either.
        return stored.Contains(':', StringComparison.Ordinal) ? stored : null;
    }

    /// <summary>The statements of a role's trust policy; none when it is unreadable.</summary>
    public static IReadOnlyList<JsonElement> TrustStatements(TerraformResource role)
    {
        if (role.String("assume_role_policy") is not { } text)
        {
            return [];
        }

        try
        {
            using var policy = JsonDocument.Parse(text);
            if (!policy.RootElement.TryGetProperty("Statement", out var statements))
            {
                return [];
            }

            return statements.ValueKind switch
            {
                JsonValueKind.Array => statements.EnumerateArray().Select(s => s.Clone()).ToList(),
                JsonValueKind.Object => [statements.Clone()],
                _ => [],
            };
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>aws module: the statement that lets Lambda assume the caller role; the stack needs none.</summary>
    public static bool IsLambdaServiceStatement(JsonElement statement) =>
        statement.TryGetProperty("Principal", out var principal) && principal.ValueKind == JsonValueKind.Object
        && principal.TryGetProperty("Service", out var service) && service.ValueKind == JsonValueKind.String && service.GetString() == "lambda.amazonaws.com";

    private static List<string>? SourceIpOf(JsonElement statement)
    {
        if (!statement.TryGetProperty("Condition", out var condition) || condition.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var test in condition.EnumerateObject())
        {
            if (test.Name is "ForAnyValue:IpAddress" or "IpAddress" && test.Value.ValueKind == JsonValueKind.Object && test.Value.TryGetProperty("aws:SourceIp", out var ips))
            {
                var list = ips.ValueKind == JsonValueKind.Array
                    ? ips.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!)
                    : ips.ValueKind == JsonValueKind.String ? [ips.GetString()!] : [];
                return list.Distinct(StringComparer.Ordinal).ToList();
            }
        }

        return null;
    }

    /// <summary>
    /// The parts of the caller role's trust this program does not carry: anything but Psoxy's own statements (Lambda
    /// service; AWS principals; Google accounts by <c>accounts.google.com:aud</c>; <c>aws:SourceIp</c>).
    /// </summary>
    public static IEnumerable<string> UnderstoodTrustProblems(TerraformResource role)
    {
        var statements = TrustStatements(role);
        if (statements.Count == 0)
        {
            yield return $"the trust policy of {role.String("name") ?? role.Address} could not be read";
            yield break;
        }

        foreach (var statement in statements)
        {
            if (IsLambdaServiceStatement(statement))
            {
                continue;
            }

            var reasons = new List<string>();
            foreach (var property in statement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "Sid" or "Action" or "Principal" or "Condition":
                        break;
                    case "Effect" when property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == "Allow":
                        break;
                    default:
                        reasons.Add($"{property.Name} {property.Value.GetRawText()}");
                        break;
                }
            }

            if (statement.TryGetProperty("Principal", out var principal) && principal.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in principal.EnumerateObject())
                {
                    var google = p.Name == "Federated" && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == "accounts.google.com";
                    if (p.Name != "AWS" && !google)
                    {
                        reasons.Add($"principal {p.Name} {p.Value.GetRawText()}");
                    }
                }
            }
            else
            {
                reasons.Add("no Principal object");
            }

            if (statement.TryGetProperty("Condition", out var condition) && condition.ValueKind == JsonValueKind.Object)
            {
                foreach (var test in condition.EnumerateObject())
                {
                    var keys = test.Value.ValueKind == JsonValueKind.Object ? test.Value.EnumerateObject().Select(k => k.Name).ToList() : [];
                    var understood = (test.Name == "StringEquals" && keys.All(k => k == "accounts.google.com:aud"))
                        || (test.Name is "ForAnyValue:IpAddress" or "IpAddress" && keys.All(k => k == "aws:SourceIp"));
                    if (!understood || keys.Count == 0)
                    {
                        reasons.Add($"condition {test.Name} {test.Value.GetRawText()}");
                    }
                }
            }

            if (reasons.Count > 0)
            {
                var sid = statement.TryGetProperty("Sid", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() is { Length: > 0 } text ? $" '{text}'" : string.Empty;
                yield return $"trust statement{sid} of {role.String("name") ?? role.Address}: {string.Join("; ", reasons)}";
            }
        }
    }
}
