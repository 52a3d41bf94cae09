namespace Psoxy.Infra.Configuration;

/// <summary>The stack configuration keys: the program's public contract. All live in the <c>psoxy</c> namespace.</summary>
internal static class ConfigKeys
{
    public const string Namespace = "psoxy";

    public const string Environment = "environment";
    public const string MsftTenantId = "msftTenantId";
    public const string Connectors = "connectors";
    public const string Host = "host";
    public const string MsftOwners = "msftOwners";
    public const string Auth = "auth";
    public const string ExistingApplications = "existingApplications";
    public const string ExistingApplicationDisplayNames = "existingApplicationDisplayNames";
    public const string GrantAdminConsent = "grantAdminConsent";
    public const string ProtectApplications = "protectApplications";
    public const string CertificateValidityDays = "certificateValidityDays";

    // Shared by both hosts: how the proxy sanitizes data, and the secrets its pseudonyms depend on.
    public const string PseudonymSalt = "pseudonymSalt";
    public const string EncryptionKey = "encryptionKey";
    public const string PseudonymizeAppIds = "pseudonymizeAppIds";
    public const string EmailCanonicalization = "emailCanonicalization";
    public const string NonProductionConnectors = "nonProductionConnectors";
    public const string EnvironmentVariables = "environmentVariables";
    public const string AllowedDataAccessIpBlocks = "allowedDataAccessIpBlocks";
    public const string CustomRules = "customRules";

    // Host objects: exactly the one named by psoxy:host is set.
    public const string Aws = "aws";
    public const string Gcp = "gcp";

    /// <summary>The keys every stack must set: the only ones Pulumi.yaml declares, so that the Pulumi CLI asks for them.</summary>
    public static IReadOnlyList<string> Required { get; } = [Environment, MsftTenantId, Connectors, Host];

    /// <summary>Every key the program reads, for reporting misspelled ones.</summary>
    public static IReadOnlyList<string> All { get; } = typeof(ConfigKeys)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.Name != nameof(Namespace))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    /// <summary>The key as users write it, e.g. <c>psoxy:connectors</c>; a key of another namespace (<c>aws:region</c>) as it is.</summary>
    public static string Full(string name) => name.Contains(':', StringComparison.Ordinal) ? name : $"{Namespace}:{name}";
}
