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

    public required bool GrantAdminConsent { get; init; }
    public required bool ProtectApplications { get; init; }
    public required int CertificateValidityDays { get; init; }

    /// <summary>Things that are allowed but deserve attention (deprecated ids, beta connectors...).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}
