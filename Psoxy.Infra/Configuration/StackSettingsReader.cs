using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Psoxy.Infra.Catalog;

namespace Psoxy.Infra.Configuration;

/// <summary>
/// Reads and validates the <c>psoxy:*</c> stack configuration. Collects every problem before failing, so a user
/// fixes them in one go, and runs before any resource is declared.
/// </summary>
internal static partial class StackSettingsReader
{
    /// <summary>
    /// Longest environment name. Every name derived from it must fit its cloud's limit; the tightest is a Cloud
    /// Function / Lambda name <c>&lt;environment&gt;-&lt;connector&gt;</c> plus suffixes, and GCP service account ids
    /// are shortened deterministically anyway.
    /// </summary>
    public const int MaxEnvironmentLength = 20;

    public const int DefaultCertificateValidityDays = 180;
    public const int MinCertificateValidityDays = 30;
    public const int MaxCertificateValidityDays = 730;

    [GeneratedRegex("^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex EnvironmentPattern();

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex GuidPattern();

    // A user principal name: local part @ a domain with at least one dot; no spaces.
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex UpnPattern();

    public static bool IsGuid(string value) => GuidPattern().IsMatch(value);

    /// <summary>
    /// Returns the settings, or throws <see cref="InvalidConfigurationException"/> listing every problem.
    /// <paramref name="providers"/> are the cloud providers' keys the <c>psoxy:</c> settings must agree with.
    /// </summary>
    public static StackSettings Read(IConfigSource source, ProviderConfig providers)
    {
        var problems = new List<ConfigProblem>();
        var warnings = new List<string>();

        var environment = ReadEnvironment(source, problems);
        var tenantId = ReadTenantId(source, problems);
        var connectors = ReadConnectors(source, problems, warnings);
        var host = ReadHost(source, problems);
        var owners = ReadOwners(source, problems);
        var auth = ReadAuth(source, problems, warnings);
        var existing = ReadExistingApplications(source, connectors, problems);
        var existingNames = ReadExistingApplicationDisplayNames(source, existing, problems);
        var grantConsent = ReadBoolean(source, ConfigKeys.GrantAdminConsent, false, problems);
        var protect = ReadBoolean(source, ConfigKeys.ProtectApplications, true, problems);
        var validityDays = ReadInteger(source, ConfigKeys.CertificateValidityDays, DefaultCertificateValidityDays,
            MinCertificateValidityDays, MaxCertificateValidityDays, problems);
        var proxy = ReadProxyOptions(source, connectors, host, problems);
        var salt = ReadSecretValue(source, ConfigKeys.PseudonymSalt, "the pseudonym salt of an existing Psoxy deployment, to keep its pseudonyms", problems);
        var encryptionKey = ReadSecretValue(source, ConfigKeys.EncryptionKey, "the encryption key of an existing Psoxy deployment, to keep its reversible pseudonyms", problems);
        ReadProviderRegions(providers, problems, warnings);
        var (aws, gcp) = ReadHostObject(source, host, environment, providers, problems, warnings);
        ReportUnknownKeys(source, problems);

        if (problems.Count > 0)
        {
            throw new InvalidConfigurationException(problems);
        }

        if (aws is { CallerGcpServiceAccountIds.Count: 0, CallerAwsArns.Count: 0 })
        {
            warnings.Add($"{ConfigKeys.Full(ConfigKeys.Aws)} has neither callerGcpServiceAccountIds nor callerAwsArns: the caller role trusts only this account's own IAM principals, so Worklytics cannot invoke the proxies yet. " +
                "Add the analytics service's GCP service account id (Worklytics > Configuration > Service Account Unique ID) to callerGcpServiceAccountIds.");
        }

        if (gcp is { InvokerMembers.Count: 0 })
        {
            warnings.Add($"{ConfigKeys.Full(ConfigKeys.Gcp)} lists no worklyticsServiceAccountEmails and no testPrincipals, so nobody may invoke the proxies; add the Worklytics service account (Worklytics > Configuration) to connect them.");
        }

        // A stack file is usually committed: a salt or key in it in plain text lets anyone who reads it re-identify pseudonyms.
        foreach (var (key, value) in new[] { (ConfigKeys.PseudonymSalt, salt), (ConfigKeys.EncryptionKey, encryptionKey) })
        {
            if (value is not null && !source.IsSecret(key))
            {
                warnings.Add($"{ConfigKeys.Full(key)} is in plain text in the stack file, where anyone who reads it (it is usually committed) can re-identify pseudonyms. "
                    + $"Make it secret, keeping its value: `pulumi config set --secret {ConfigKeys.Full(key)}` (it asks for the value).");
            }
        }

        if (!protect)
        {
            warnings.Add($"{ConfigKeys.Full(ConfigKeys.ProtectApplications)} is false: a `pulumi destroy` or a removed connector deletes its Entra application, and re-creating it changes its client id and needs a new admin consent.");
        }

        return new StackSettings
        {
            Environment = environment!,
            MsftTenantId = tenantId!,
            Connectors = connectors,
            Host = host!.Value,
            MsftOwners = owners,
            Auth = auth!.Value,
            ExistingApplications = existing,
            ExistingApplicationDisplayNames = existingNames,
            GrantAdminConsent = grantConsent,
            ProtectApplications = protect,
            CertificateValidityDays = validityDays,
            Proxy = proxy,
            PseudonymSalt = salt,
            EncryptionKey = encryptionKey,
            Aws = aws,
            Gcp = gcp,
            Warnings = warnings,
        };
    }

    private static string? ReadEnvironment(IConfigSource source, List<ConfigProblem> problems)
    {
        const string Allowed = "a short environment name used in every resource name: 1 to 20 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (e.g. 'dev', 'prod-eu')";
        var value = source.Get(ConfigKeys.Environment);
        if (value is null)
        {
            problems.Add(new(ConfigKeys.Environment, null, "set it to " + Allowed));
            return null;
        }

        if (value.Length > MaxEnvironmentLength || !EnvironmentPattern().IsMatch(value))
        {
            problems.Add(new(ConfigKeys.Environment, value, "allowed: " + Allowed));
            return null;
        }

        return value;
    }

    private static string? ReadTenantId(IConfigSource source, List<ConfigProblem> problems)
    {
        const string Allowed = "the Microsoft 365 (Entra ID) tenant id, a GUID such as 6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10 (Entra admin center > Overview > Tenant ID)";
        var value = source.Get(ConfigKeys.MsftTenantId);
        if (value is null)
        {
            problems.Add(new(ConfigKeys.MsftTenantId, null, "set it to " + Allowed));
            return null;
        }

        if (!IsGuid(value))
        {
            problems.Add(new(ConfigKeys.MsftTenantId, value, "allowed: " + Allowed));
            return null;
        }

        return value.ToLowerInvariant();
    }

    private static List<ConnectorSpec> ReadConnectors(IConfigSource source, List<ConfigProblem> problems, List<string> warnings)
    {
        var allowed = $"a list of connector ids from: {string.Join(", ", ConnectorCatalog.All.Select(c => c.Id))} ('azure-ad' is accepted as a deprecated alias of 'msft-entra-id')";
        var raw = source.Get(ConfigKeys.Connectors);
        if (raw is null)
        {
            problems.Add(new(ConfigKeys.Connectors, null, "set it to " + allowed));
            return [];
        }

        var ids = ParseStringList(raw);
        if (ids is null)
        {
            problems.Add(new(ConfigKeys.Connectors, raw, $"allowed: {allowed}, written as a YAML/JSON list, e.g. [outlook-cal, msft-entra-id] (pulumi config set --path '{ConfigKeys.Full(ConfigKeys.Connectors)}[0]' outlook-cal)"));
            return [];
        }

        if (ids.Count == 0)
        {
            problems.Add(new(ConfigKeys.Connectors, raw, "allowed: " + allowed + "; at least one is needed"));
            return [];
        }

        var result = new List<ConnectorSpec>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var canonical = id;
            if (ConnectorCatalog.DeprecatedAliases.TryGetValue(id, out var target))
            {
                canonical = target;
                warnings.Add($"{ConfigKeys.Full(ConfigKeys.Connectors)}: '{id}' is deprecated; it deploys '{target}' (the same resources), so replace it with '{target}'.");
            }

            var spec = ConnectorCatalog.Find(canonical);
            if (spec is null)
            {
                problems.Add(new(ConfigKeys.Connectors, id, "not a connector id; allowed: " + string.Join(", ", ConnectorCatalog.AcceptedIds)));
                continue;
            }

            if (seen.TryGetValue(canonical, out var first))
            {
                var same = first == id ? $"'{id}' is listed twice" : $"'{first}' and '{id}' are the same connector";
                problems.Add(new(ConfigKeys.Connectors, raw, $"{same}; each connector may appear once"));
                continue;
            }

            seen[canonical] = id;
            result.Add(spec);
            if (spec.Availability is Availability.Beta or Availability.Alpha)
            {
                warnings.Add($"Connector '{spec.Id}' ({spec.DisplayName}) is {spec.Availability.ToString().ToLowerInvariant()}: its data and permissions may still change.");
            }
        }

        return result;
    }

    private static HostPlatform? ReadHost(IConfigSource source, List<ConfigProblem> problems)
    {
        const string Allowed = "'aws' (an AWS Lambda per connector) or 'gcp' (a Cloud Function per connector)";
        var value = source.Get(ConfigKeys.Host);
        switch (value)
        {
            case null:
                problems.Add(new(ConfigKeys.Host, null, "set it to " + Allowed));
                return null;
            case "aws":
                return HostPlatform.Aws;
            case "gcp":
                return HostPlatform.Gcp;
            default:
                problems.Add(new(ConfigKeys.Host, value, "allowed: " + Allowed));
                return null;
        }
    }

    private static List<EntraOwner> ReadOwners(IConfigSource source, List<ConfigProblem> problems)
    {
        const string Allowed = "a list of owners of every Entra application, each a user principal name (alice@contoso.com) or an object id (GUID)";
        var raw = source.Get(ConfigKeys.MsftOwners);
        if (raw is null)
        {
            return [];
        }

        var values = ParseStringList(raw);
        if (values is null)
        {
            problems.Add(new(ConfigKeys.MsftOwners, raw, "allowed: " + Allowed));
            return [];
        }

        var owners = new List<EntraOwner>();
        foreach (var value in values)
        {
            if (IsGuid(value))
            {
                owners.Add(new EntraOwner(value.ToLowerInvariant(), IsObjectId: true));
            }
            else if (UpnPattern().IsMatch(value))
            {
                owners.Add(new EntraOwner(value, IsObjectId: false));
            }
            else
            {
                problems.Add(new(ConfigKeys.MsftOwners, value, "not a user principal name or object id; allowed: " + Allowed));
            }
        }

        return owners.DistinctBy(o => o.Value.ToLowerInvariant()).ToList();
    }

    private static AuthMode? ReadAuth(IConfigSource source, List<ConfigProblem> problems, List<string> warnings)
    {
        var value = source.Get(ConfigKeys.Auth);
        switch (value)
        {
            case null or "federated":
                return AuthMode.Federated;
            case "certificate":
                warnings.Add($"{ConfigKeys.Full(ConfigKeys.Auth)} = 'certificate' is deprecated: each proxy instance holds a private key for Entra ID. Switch to 'federated' (workload identity federation, no secret anywhere).");
                return AuthMode.Certificate;
            default:
                problems.Add(new(ConfigKeys.Auth, value, "allowed: 'federated' (default; workload identity federation, no secrets) or 'certificate' (deprecated)"));
                return null;
        }
    }

    /// <summary>A JSON object's members, or null with the problem (key, value, what is allowed) recorded.</summary>
    internal static Dictionary<string, JsonElement>? ReadMap(string raw, string key, string allowed, List<ConfigProblem> problems)
    {
        Dictionary<string, JsonElement>? map;
        try
        {
            map = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(raw);
        }
        catch (JsonException)
        {
            map = null;
        }

        if (map is null)
        {
            problems.Add(new(key, raw, "allowed: " + allowed));
        }

        return map;
    }

    private static Dictionary<string, string> ReadExistingApplications(IConfigSource source, IReadOnlyList<ConnectorSpec> connectors, List<ConfigProblem> problems)
    {
        const string Allowed = "a map from an enabled connector id to the object id (GUID) of an Entra application an admin created for it, e.g. { outlook-cal: 6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10 }";
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var raw = source.Get(ConfigKeys.ExistingApplications);
        if (raw is null)
        {
            return result;
        }

        if (ReadMap(raw, ConfigKeys.ExistingApplications, Allowed, problems) is not { } map)
        {
            return result;
        }

        var enabled = connectors.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var objectIds = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, element) in map)
        {
            var id = ConnectorCatalog.DeprecatedAliases.TryGetValue(key, out var target) ? target : key;
            var objectId = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
            if (ConnectorCatalog.Find(id) is null)
            {
                problems.Add(new(ConfigKeys.ExistingApplications, key, "not a connector id; allowed keys: the ids in psoxy:connectors"));
            }
            else if (connectors.Count > 0 && !enabled.Contains(id))
            {
                problems.Add(new(ConfigKeys.ExistingApplications, key, "this connector is not in psoxy:connectors; allowed keys: the enabled connectors"));
            }
            else if (!keys.TryAdd(id, key))
            {
                // A deprecated alias and its connector's id name the same connector: one would silently win.
                problems.Add(new(ConfigKeys.ExistingApplications, key, $"'{keys[id]}' and '{key}' are the same connector; each connector may have one application"));
            }
            else if (element.ValueKind != JsonValueKind.String || !IsGuid(objectId))
            {
                problems.Add(new(ConfigKeys.ExistingApplications, $"{key}: {objectId}", "allowed: the application's Object ID, a GUID (Entra admin center > App registrations > the app > Overview > Object ID; not its Application (client) ID)"));
            }
            else if (objectIds.TryGetValue(objectId, out var other))
            {
                problems.Add(new(ConfigKeys.ExistingApplications, $"{key}: {objectId}", $"the same application is already adopted for '{other}'; each connector needs its own application"));
            }
            else
            {
                objectIds[objectId] = id;
                result[id] = objectId.ToLowerInvariant();
            }
        }

        return result;
    }

    /// <summary>Entra ID allows display names of up to 256 characters.</summary>
    public const int MaxDisplayNameLength = 256;

    private static Dictionary<string, string> ReadExistingApplicationDisplayNames(IConfigSource source, IReadOnlyDictionary<string, string> existing, List<ConfigProblem> problems)
    {
        const string Allowed = "a map from a connector id of psoxy:existingApplications to the display name its application has now (kept as is, spaces included), e.g. { outlook-cal: 'Psoxy Connector - Outlook Calendar psoxy ' }";
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var raw = source.Get(ConfigKeys.ExistingApplicationDisplayNames);
        if (raw is null)
        {
            return result;
        }

        if (ReadMap(raw, ConfigKeys.ExistingApplicationDisplayNames, Allowed, problems) is not { } map)
        {
            return result;
        }

        foreach (var (key, element) in map)
        {
            var id = ConnectorCatalog.DeprecatedAliases.TryGetValue(key, out var target) ? target : key;
            if (!existing.ContainsKey(id))
            {
                problems.Add(new(ConfigKeys.ExistingApplicationDisplayNames, key, "no application of this connector is in psoxy:existingApplications; allowed keys: the connectors of psoxy:existingApplications"));
            }
            else if (element.ValueKind != JsonValueKind.String || element.GetString() is not { Length: > 0 and <= MaxDisplayNameLength } name || string.IsNullOrWhiteSpace(name))
            {
                problems.Add(new(ConfigKeys.ExistingApplicationDisplayNames, $"{key}: {element.GetRawText()}", $"allowed: the application's display name, 1 to {MaxDisplayNameLength} characters"));
            }
            else
            {
                result[id] = name;
            }
        }

        return result;
    }

    public const string DefaultEmailCanonicalization = "IGNORE_DOTS";
    public static readonly IReadOnlyList<string> EmailCanonicalizations = ["STRICT", "IGNORE_DOTS"];

    private static ProxyOptions ReadProxyOptions(IConfigSource source, IReadOnlyList<ConnectorSpec> connectors, HostPlatform? host, List<ConfigProblem> problems)
    {
        var pseudonymizeAppIds = ReadBoolean(source, ConfigKeys.PseudonymizeAppIds, true, problems);
        var canonicalization = source.Get(ConfigKeys.EmailCanonicalization) ?? DefaultEmailCanonicalization;
        if (!EmailCanonicalizations.Contains(canonicalization))
        {
            problems.Add(new(ConfigKeys.EmailCanonicalization, canonicalization,
                $"allowed: STRICT (emails pseudonymized exactly as written) or IGNORE_DOTS (dots in the local part ignored, as Psoxy's examples do; default {DefaultEmailCanonicalization})"));
        }

        var nonProduction = new HashSet<string>(StringComparer.Ordinal);
        var raw = source.Get(ConfigKeys.NonProductionConnectors);
        if (raw is not null)
        {
            var ids = ParseStringList(raw);
            if (ids is null)
            {
                problems.Add(new(ConfigKeys.NonProductionConnectors, raw, "allowed: a list of enabled connector ids to run in development mode, e.g. [outlook-cal]"));
            }
            else
            {
                var enabled = connectors.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                foreach (var id in ids)
                {
                    var canonical = ConnectorCatalog.DeprecatedAliases.GetValueOrDefault(id, id);
                    if (connectors.Count > 0 && !enabled.Contains(canonical))
                    {
                        problems.Add(new(ConfigKeys.NonProductionConnectors, id, "not an enabled connector; allowed: ids listed in psoxy:connectors"));
                    }
                    else
                    {
                        nonProduction.Add(canonical);
                    }
                }
            }
        }

        var environmentVariables = ReadEnvironmentVariables(source, problems);
        var ipBlocks = ReadAllowedDataAccessIpBlocks(source, problems);
        // What the user's own variables take of a Cloud Function's environment, which the custom rules share on GCP.
        var userVariableBytes = environmentVariables.Sum(kv => Encoding.UTF8.GetByteCount(kv.Key) + Encoding.UTF8.GetByteCount(kv.Value))
            + (ipBlocks is null ? 0 : "ALLOWED_DATA_ACCESS_IP_BLOCKS".Length + string.Join(",", ipBlocks).Length);
        return new ProxyOptions(pseudonymizeAppIds, canonicalization, nonProduction)
        {
            EnvironmentVariables = environmentVariables,
            AllowedDataAccessIpBlocks = ipBlocks,
            CustomRules = CustomRulesReader.Read(source, connectors, host, userVariableBytes, problems),
        };
    }

    // An environment variable name both Lambda and Cloud Run accept.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    internal static partial Regex VariableNamePattern();

    // The platforms' own variables: Lambda reserves AWS_* and _HANDLER-style names, Cloud Run X_GOOGLE_* and its K_* and PORT.
    [GeneratedRegex("^(AWS_|_|X_GOOGLE_|K_(SERVICE|REVISION|CONFIGURATION)$|PORT$|LAMBDA_)")]
    internal static partial Regex PlatformVariablePattern();

    /// <summary>Psoxy's <c>general_environment_variables</c> (aws-host, gcp-host): merged into every instance's environment.</summary>
    private static Dictionary<string, string> ReadEnvironmentVariables(IConfigSource source, List<ConfigProblem> problems)
    {
        const string Allowed = "a map of environment variable names to values set on every proxy instance, e.g. { LOG_LEVEL: DEBUG }";
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var raw = source.Get(ConfigKeys.EnvironmentVariables);
        if (raw is null || ReadMap(raw, ConfigKeys.EnvironmentVariables, Allowed, problems) is not { } map)
        {
            return result;
        }

        foreach (var (name, element) in map)
        {
            if (!VariableNamePattern().IsMatch(name))
            {
                problems.Add(new(ConfigKeys.EnvironmentVariables, name, "not a valid variable name; allowed: letters, digits and underscores, not starting with a digit"));
            }
            else if (ProxyOptions.ManagedVariableNames.Contains(name))
            {
                problems.Add(new(ConfigKeys.EnvironmentVariables, name, $"{name} is set by Psoxy.Infra itself; remove it (allowed: any other name, not one of {string.Join(", ", ProxyOptions.ManagedVariableNames.Order(StringComparer.Ordinal))})"));
            }
            else if (PlatformVariablePattern().IsMatch(name))
            {
                problems.Add(new(ConfigKeys.EnvironmentVariables, name, "reserved by AWS Lambda or Cloud Run; allowed: a name not starting with AWS_, LAMBDA_, X_GOOGLE_ or _, and not PORT or K_SERVICE/K_REVISION/K_CONFIGURATION"));
            }
            else if (element.ValueKind is JsonValueKind.String)
            {
                result[name] = element.GetString()!;
            }
            else if (element.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            {
                result[name] = element.GetRawText();
            }
            else
            {
                problems.Add(new(ConfigKeys.EnvironmentVariables, $"{name}: {element.GetRawText()}", "allowed: a text, number or true/false value"));
            }
        }

        return result;
    }

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}(/[0-9]{1,2})?$")]
    private static partial Regex Ipv4BlockPattern();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(/[0-9]{1,3})?$")]
    private static partial Regex Ipv6BlockPattern();

    /// <summary>
    /// Psoxy's <c>allowed_data_access_ip_blocks</c> (aws-host, gcp-host): IPs or CIDR blocks; unset means no
    /// restriction, and an empty list is refused as Psoxy refuses it.
    /// </summary>
    private static List<string>? ReadAllowedDataAccessIpBlocks(IConfigSource source, List<ConfigProblem> problems)
    {
        const string Allowed = "a non-empty list of IP addresses or CIDR blocks allowed to request data, e.g. [203.0.113.0/24, 198.51.100.7]; omit the key for no restriction";
        var raw = source.Get(ConfigKeys.AllowedDataAccessIpBlocks);
        if (raw is null)
        {
            return null;
        }

        var values = ParseStringList(raw);
        if (values is null || values.Count == 0)
        {
            problems.Add(new(ConfigKeys.AllowedDataAccessIpBlocks, raw, "allowed: " + Allowed));
            return null;
        }

        var blocks = new List<string>();
        foreach (var value in values)
        {
            if (IsIpBlock(value))
            {
                blocks.Add(value);
            }
            else
            {
                problems.Add(new(ConfigKeys.AllowedDataAccessIpBlocks, value,
                    "not an IP address or CIDR block (each part 0-255, prefix up to /32 for IPv4 and /128 for IPv6); allowed: " + Allowed));
            }
        }

        return blocks.Distinct(StringComparer.Ordinal).ToList();
    }

    internal static bool IsIpBlock(string value)
    {
        if (!Ipv4BlockPattern().IsMatch(value) && !Ipv6BlockPattern().IsMatch(value))
        {
            return false;
        }

        // The patterns keep out words and bare numbers IPNetwork would read as addresses; it checks the parts and prefix.
        var withPrefix = value.Contains('/') ? value : value + (value.Contains(':') ? "/128" : "/32");
        return System.Net.IPNetwork.TryParse(withPrefix, out _);
    }

    private static SecretText? ReadSecretValue(IConfigSource source, string key, string purpose, List<ConfigProblem> problems)
    {
        var value = source.Get(key);
        if (value is not null && value.Length < 8)
        {
            // Never echo a secret, even a bad one.
            problems.Add(new(key, SecretText.Masked, $"allowed: {purpose}, at least 8 characters, set with `pulumi config set --secret {ConfigKeys.Full(key)}` (omit it to generate one)"));
            return null;
        }

        return value is null ? null : new SecretText(value);
    }

    /// <summary>The object of the chosen host (required) and no other: a leftover object of the other host is a mistake.</summary>
    private static (AwsHostSettings? Aws, GcpHostSettings? Gcp) ReadHostObject(IConfigSource source, HostPlatform? host, string? environment, ProviderConfig providers, List<ConfigProblem> problems, List<string> warnings)
    {
        foreach (var (key, platform) in new[] { (ConfigKeys.Aws, HostPlatform.Aws), (ConfigKeys.Gcp, HostPlatform.Gcp) })
        {
            var raw = source.Get(key);
            if (raw is not null && host is not null && host != platform)
            {
                problems.Add(new(key, raw, $"only the object of the chosen host is allowed: psoxy:host is '{host.Value.ToString().ToLowerInvariant()}', so remove {ConfigKeys.Full(key)} (or change psoxy:host)"));
            }
        }

        return host switch
        {
            HostPlatform.Aws => (AwsHostSettingsReader.Read(source, environment, providers, problems, warnings), null),
            HostPlatform.Gcp => (null, GcpHostSettingsReader.Read(source, providers, problems, warnings)),
            _ => (null, null),
        };
    }

    /// <summary>The providers' own regions, which the providers would refuse at `pulumi up`, after creating what came first.</summary>
    private static void ReadProviderRegions(ProviderConfig providers, List<ConfigProblem> problems, List<string> warnings)
    {
        if (providers.AwsRegion is { } awsRegion)
        {
            Regions.ReportAws(ProviderConfig.AwsRegionKey, awsRegion, problems, warnings);
        }

        if (providers.GcpRegion is { } gcpRegion)
        {
            Regions.ReportGcp(ProviderConfig.GcpRegionKey, gcpRegion, problems, warnings, "a GCP region");
        }

        // The credentials the program's own AWS calls use: a bad value would otherwise stop it after resources exist.
        ProviderConfig.ReadAwsCredentials(providers.AwsCredentials.GetValueOrDefault, problems);
    }

    /// <summary>
    /// A key the program does not read is most likely misspelled, and ignoring it could be costly (a misspelled
    /// pseudonymSalt would mean a new salt, so new pseudonyms). Values are not shown: the key may hold a secret.
    /// </summary>
    private static void ReportUnknownKeys(IConfigSource source, List<ConfigProblem> problems)
    {
        foreach (var name in source.Names.Where(n => !ConfigKeys.All.Contains(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var hint = Spelling.Closest(name, ConfigKeys.All) is { } closest ? $" (did you mean {ConfigKeys.Full(closest)}?)" : string.Empty;
            problems.Add(new(name, "[value not shown]", $"not a configuration key of Psoxy.Infra{hint}; allowed keys: {string.Join(", ", ConfigKeys.All.Select(ConfigKeys.Full))}"));
        }
    }

    private static bool ReadBoolean(IConfigSource source, string key, bool defaultValue, List<ConfigProblem> problems)
    {
        var value = source.Get(key);
        switch (value)
        {
            case null:
                return defaultValue;
            case "true":
                return true;
            case "false":
                return false;
            default:
                problems.Add(new(key, value, $"allowed: true or false (default {(defaultValue ? "true" : "false")})"));
                return defaultValue;
        }
    }

    private static int ReadInteger(IConfigSource source, string key, int defaultValue, int min, int max, List<ConfigProblem> problems)
    {
        var value = source.Get(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max)
        {
            return parsed;
        }

        problems.Add(new(key, value, $"allowed: a whole number from {min} to {max} (default {defaultValue})"));
        return defaultValue;
    }

    /// <summary>A JSON list of strings, or null when the value is anything else.</summary>
    private static List<string>? ParseStringList(string raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var items = new List<string>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                items.Add(item.GetString()!);
            }

            return items;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
