using Psoxy.Infra.Catalog;

namespace Psoxy.Infra.Configuration;

/// <summary>Where the proxy instances run.</summary>
internal enum HostPlatform
{
    Aws,
    Gcp,
}

/// <summary>How each proxy instance proves its identity to Entra ID.</summary>
internal enum AuthMode
{
    /// <summary>Workload identity federation: the host cloud's identity is trusted, no secret exists.</summary>
    Federated,

    /// <summary>Deprecated: a certificate whose private key the host stores as a secret.</summary>
    Certificate,
}

/// <summary>A Microsoft 365 owner of the Entra applications, by object id or by user principal name.</summary>
internal sealed record EntraOwner(string Value, bool IsObjectId);

/// <summary>The validated stack configuration. Built only by <see cref="StackSettingsReader"/>.</summary>
internal sealed record StackSettings
{
    public required string Environment { get; init; }
    public required string MsftTenantId { get; init; }
    public required IReadOnlyList<ConnectorSpec> Connectors { get; init; }
    public required HostPlatform Host { get; init; }
    public required IReadOnlyList<EntraOwner> MsftOwners { get; init; }
    public required AuthMode Auth { get; init; }

    /// <summary>Connector id to the object id of an application an admin already created, to adopt.</summary>
    public required IReadOnlyDictionary<string, string> ExistingApplications { get; init; }

    /// <summary>
    /// Connector id to the display name an adopted application has now (e.g. from Psoxy's Terraform). For these the
    /// program declares that name, no description and only <see cref="MsftOwners"/> as owners, so the import matches
    /// the application as it is; without an entry the application converges to this program's name and owners.
    /// </summary>
    public IReadOnlyDictionary<string, string> ExistingApplicationDisplayNames { get; init; } = new Dictionary<string, string>();

    public required bool GrantAdminConsent { get; init; }
    public required bool ProtectApplications { get; init; }
    public required int CertificateValidityDays { get; init; }

    /// <summary>How every proxy instance sanitizes data.</summary>
    public required ProxyOptions Proxy { get; init; }

    /// <summary>The pseudonym salt from secret config, to keep an existing deployment's pseudonyms; null to generate one.</summary>
    public SecretText? PseudonymSalt { get; init; }

    /// <summary>The key for reversible pseudonyms from secret config; null to generate one.</summary>
    public SecretText? EncryptionKey { get; init; }

    /// <summary>The <c>psoxy:aws</c> object; set exactly when <see cref="Host"/> is AWS.</summary>
    public AwsHostSettings? Aws { get; init; }

    /// <summary>The <c>psoxy:gcp</c> object; set exactly when <see cref="Host"/> is GCP.</summary>
    public GcpHostSettings? Gcp { get; init; }

    /// <summary>Things that are allowed but deserve attention (deprecated ids, beta connectors...).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}

/// <summary>Proxy behaviour common to every instance on either host (Psoxy's own settings).</summary>
/// <param name="PseudonymizeAppIds">Pseudonymize application ids as well as people (<c>PSEUDONYMIZE_APP_IDS</c>).</param>
/// <param name="EmailCanonicalization"><c>STRICT</c> or <c>IGNORE_DOTS</c> (<c>EMAIL_CANONICALIZATION</c>).</param>
/// <param name="NonProductionConnectors">Connectors run in development mode (<c>IS_DEVELOPMENT_MODE</c>).</param>
internal sealed record ProxyOptions(bool PseudonymizeAppIds, string EmailCanonicalization, IReadOnlySet<string> NonProductionConnectors)
{
    public bool IsDevelopmentMode(string connectorId) => NonProductionConnectors.Contains(connectorId);

    /// <summary>Extra variables set on every instance (Psoxy's <c>general_environment_variables</c>).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// IPs or CIDR blocks allowed to request data (<c>ALLOWED_DATA_ACCESS_IP_BLOCKS</c>); null for no restriction.
    /// </summary>
    public IReadOnlyList<string>? AllowedDataAccessIpBlocks { get; init; }

    /// <summary>Connector id to its custom rules (Psoxy's <c>custom_api_connector_rules</c>); connectors without use Psoxy's defaults.</summary>
    public IReadOnlyDictionary<string, CustomRules> CustomRules { get; init; } = new Dictionary<string, CustomRules>();

    /// <summary>
    /// Every variable the program sets itself on either host: <see cref="EnvironmentVariables"/> may not name one.
    /// A test checks that every variable the hosts declare is listed here.
    /// </summary>
    public static IReadOnlySet<string> ManagedVariableNames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "SOURCE", "TARGET_HOST", "SOURCE_AUTH_STRATEGY_IDENTIFIER", "OAUTH_SCOPES", "GRANT_TYPE", "TOKEN_SCOPE",
        "REFRESH_ENDPOINT", "CLIENT_ID", "PSEUDONYMIZE_APP_IDS", "EMAIL_CANONICALIZATION", "IS_DEVELOPMENT_MODE",
        "REQUEST_TIMEOUT_SECONDS", "BUNDLE_FILENAME", "PATH_TO_SHARED_CONFIG", "PATH_TO_INSTANCE_CONFIG",
        "SECRETS_STORE", "IDENTITY_POOL_ID", "IDENTITY_ID", "DEVELOPER_NAME_ID", "AUDIENCE",
        "ALLOWED_DATA_ACCESS_IP_BLOCKS", "CUSTOM_RULES_SHA", "RULES",
        // Stored values Psoxy also reads from the environment: never in clear in a function's configuration.
        "PSOXY_SALT", "PSOXY_ENCRYPTION_KEY", "PRIVATE_KEY", "PRIVATE_KEY_ID",
    };
}
