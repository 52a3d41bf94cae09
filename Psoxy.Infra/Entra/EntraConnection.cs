using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Pulumi;
using Pulumi.AzureAD;
using Pulumi.AzureAD.Inputs;
using Pulumi.Tls;
using Pulumi.Tls.Inputs;

namespace Psoxy.Infra.Entra;

/// <summary>Inputs of an <see cref="EntraConnection"/>.</summary>
internal sealed class EntraConnectionArgs
{
    public required ConnectorSpec Connector { get; init; }
    public required string Environment { get; init; }
    public required string TenantId { get; init; }

    /// <summary>Object ids of the application's owners, the deploying principal included.</summary>
    public required InputList<string> Owners { get; init; }

    public required AuthMode Auth { get; init; }

    /// <summary>The object id of an application an admin created, to adopt instead of creating one.</summary>
    public string? ExistingApplicationObjectId { get; init; }

    /// <summary>
    /// For an adopted application, the display name it has now: declared as is, with no description and
    /// <see cref="AdoptedOwners"/> as owners, so importing it compares equal (Psoxy's Terraform sets no description).
    /// </summary>
    public string? AdoptedDisplayName { get; init; }

    /// <summary>The owners declared for an application adopted with <see cref="AdoptedDisplayName"/>: the configured ones only.</summary>
    public InputList<string>? AdoptedOwners { get; init; }

    public bool ProtectApplication { get; init; } = true;

    /// <summary>When set, consent is granted by this program against this Microsoft Graph service principal.</summary>
    public Output<string>? GraphServicePrincipalObjectId { get; init; }

    public int CertificateValidityDays { get; init; } = StackSettingsReader.DefaultCertificateValidityDays;
}

/// <summary>With certificate auth: what the proxy instance needs to sign its token requests. Both are secrets.</summary>
internal sealed record CertificateCredential(Output<string> PrivateKeyPem, Output<string> KeyId);

/// <summary>
/// One connector's identity in Entra ID: the application the proxy authenticates as, with exactly the
/// connector's read-only Microsoft Graph application permissions, the credential that lets the proxy prove it
/// is that application, and optionally the admin consent.
/// </summary>
internal sealed class EntraConnection : ComponentResource
{
    public const string TypeToken = "psoxy:entra:Connection";

    private readonly string _name;

    /// <summary>How far inside the certificate's validity the Entra credential's dates sit, so that the two
    /// clocks involved (this machine's, Entra's) can never disagree about the credential being valid.</summary>
    internal static readonly TimeSpan CertificateDateMargin = TimeSpan.FromMinutes(15);

    public ConnectorSpec Connector { get; }
    public Application Application { get; }
    public Output<string> ClientId { get; }
    public Output<string> ObjectId { get; }

    /// <summary>The application's resource id, <c>/applications/&lt;object id&gt;</c>.</summary>
    public Output<string> ApplicationId { get; }

    public string DisplayName { get; }
    public IReadOnlyList<string> RequiredAppRoles { get; }
    public Output<string> AdminConsentUrl { get; }
    public Output<string> PermissionsPageUrl { get; }

    /// <summary>Set with certificate auth only.</summary>
    public CertificateCredential? Certificate { get; }

    public EntraConnection(string name, EntraConnectionArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, name, options)
    {
        _name = name;
        var connector = Connector = args.Connector;
        var adopted = args.ExistingApplicationObjectId is not null && args.AdoptedDisplayName is not null;
        DisplayName = adopted ? args.AdoptedDisplayName! : DisplayNameFor(connector, args.Environment);
        RequiredAppRoles = connector.RequiredAppRoles;

        Application = new Application(name, new ApplicationArgs
        {
            DisplayName = DisplayName,
            // An adopted application keeps what it has (none, from Psoxy's Terraform) until its display name entry is removed.
            Description = adopted ? (Input<string>?)null : DescriptionFor(connector, args.Environment),
            Owners = adopted ? args.AdoptedOwners ?? args.Owners : args.Owners,
            // Hidden from users: nobody signs in to this application, only the proxy authenticates as it.
            FeatureTags = { new ApplicationFeatureTagArgs { Hide = true, Enterprise = false, Gallery = false } },
            RequiredResourceAccesses =
            {
                new ApplicationRequiredResourceAccessArgs
                {
                    ResourceAppId = GraphAppRoles.GraphAppId,
                    ResourceAccesses = connector.RequiredAppRoles
                        .Select(role => new ApplicationRequiredResourceAccessResourceAccessArgs { Id = GraphAppRoles.IdOf(role), Type = GraphAppRoles.RoleType })
                        .ToList(),
                },
            },
        }, new CustomResourceOptions
        {
            Parent = this,
            Protect = args.ProtectApplication,
            ImportId = args.ExistingApplicationObjectId is { } objectId ? $"/applications/{objectId}" : null,
            // Admins record these in the portal; they are theirs, not ours to revert.
            IgnoreChanges = { "notes", "serviceManagementReference" },
        });

        ClientId = Application.ClientId;
        ObjectId = Application.ObjectId;
        ApplicationId = Application.Id;
        AdminConsentUrl = ClientId.Apply(id => EntraUrls.AdminConsent(args.TenantId, id));
        PermissionsPageUrl = ClientId.Apply(EntraUrls.PermissionsPage);

        if (args.Auth == AuthMode.Certificate)
        {
            Certificate = AddCertificate(name, connector, args);
        }

        if (args.GraphServicePrincipalObjectId is { } graphServicePrincipal)
        {
            GrantAdminConsent(name, args.Owners, graphServicePrincipal);
        }

        RegisterOutputs(new Dictionary<string, object?>
        {
            ["displayName"] = DisplayName,
            ["clientId"] = ClientId,
            ["applicationObjectId"] = ObjectId,
            ["applicationId"] = ApplicationId,
            ["requiredAppRoles"] = RequiredAppRoles.ToImmutableArray(),
            ["adminConsentUrl"] = AdminConsentUrl,
            ["permissionsPageUrl"] = PermissionsPageUrl,
        });
    }

    /// <summary>The application's description, naming what it reads and the environment.</summary>
    public static string DescriptionFor(ConnectorSpec connector, string environment) =>
        $"Psoxy pseudonymizing proxy: read-only access to {connector.DisplayName} data through Microsoft Graph ({environment}).";

    /// <summary>The application's display name: <c>Psoxy Connector - Outlook Calendar (prod)</c>.</summary>
    public static string DisplayNameFor(ConnectorSpec connector, string environment) =>
        $"Psoxy Connector - {connector.DisplayName} ({environment})";

    /// <summary>
    /// Lets the host identity act as this application (federated auth). Called by the stack once the host has
    /// deployed the proxy instance, because on AWS that identity is minted from the application's client id.
    /// </summary>
    public ApplicationFederatedIdentityCredential TrustFederatedIdentity(FederatedIdentity identity) =>
        new($"{_name}-federated-credential", new ApplicationFederatedIdentityCredentialArgs
        {
            ApplicationId = Application.Id,
            DisplayName = identity.CredentialName,
            Description = identity.Description,
            Issuer = identity.Issuer,
            Audiences = { identity.Audience },
            Subject = identity.Subject,
        }, new CustomResourceOptions { Parent = this });

    private CertificateCredential AddCertificate(string name, ConnectorSpec connector, EntraConnectionArgs args)
    {
        var key = new PrivateKey($"{name}-certificate-key", new PrivateKeyArgs
        {
            Algorithm = "RSA",
            RsaBits = 2048,
        }, new CustomResourceOptions { Parent = this });

        // Renewal starts a third of the way before expiry (at most 30 days): the next `pulumi up` in that window
        // replaces the certificate, the Entra credential and the stored key together.
        var validityHours = args.CertificateValidityDays * 24;
        var certificate = new SelfSignedCert($"{name}-certificate", new SelfSignedCertArgs
        {
            PrivateKeyPem = key.PrivateKeyPem,
            Subject = new SelfSignedCertSubjectArgs { CommonName = $"psoxy-{args.Environment}-{connector.Id}", Organization = "Psoxy" },
            ValidityPeriodHours = validityHours,
            EarlyRenewalHours = Math.Min(validityHours / 3, 30 * 24),
            AllowedUses = { "digital_signature" },
        }, new CustomResourceOptions { Parent = this });

        _ = new ApplicationCertificate($"{name}-certificate", new ApplicationCertificateArgs
        {
            ApplicationId = Application.Id,
            Type = "AsymmetricX509Cert",
            Encoding = "pem",
            Value = certificate.CertPem,
            StartDate = certificate.ValidityStartTime.Apply(start => ShiftTimestamp(start, CertificateDateMargin)),
            EndDate = certificate.ValidityEndTime.Apply(end => ShiftTimestamp(end, -CertificateDateMargin)),
        }, new CustomResourceOptions { Parent = this });

        return new CertificateCredential(
            Output.CreateSecret(key.PrivateKeyPemPkcs8),
            Output.CreateSecret(certificate.CertPem.Apply(Sha1Thumbprint)));
    }

    private void GrantAdminConsent(string name, InputList<string> owners, Output<string> graphServicePrincipalObjectId)
    {
        // Retained on delete: turning psoxy:grantAdminConsent off must not revoke a consent the tenant relies on.
        var servicePrincipal = new ServicePrincipal($"{name}-service-principal", new ServicePrincipalArgs
        {
            ClientId = ClientId,
            Owners = owners,
            FeatureTags = { new ServicePrincipalFeatureTagArgs { Hide = true, Enterprise = false, Gallery = false } },
        }, new CustomResourceOptions { Parent = this, RetainOnDelete = true });

        foreach (var role in RequiredAppRoles)
        {
            _ = new AppRoleAssignment($"{name}-{role}", new AppRoleAssignmentArgs
            {
                AppRoleId = GraphAppRoles.IdOf(role),
                PrincipalObjectId = servicePrincipal.ObjectId,
                ResourceObjectId = graphServicePrincipalObjectId,
            }, new CustomResourceOptions { Parent = this, RetainOnDelete = true });
        }
    }

    /// <summary>An RFC 3339 timestamp moved by <paramref name="by"/>, in UTC.</summary>
    internal static string ShiftTimestamp(string rfc3339, TimeSpan by) =>
        DateTimeOffset.Parse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
            .ToUniversalTime()
            .Add(by)
            .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The certificate's SHA-1 thumbprint, upper-case hex: the key id the proxy sends as <c>x5t</c>.</summary>
    internal static string Sha1Thumbprint(string certificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        return certificate.Thumbprint;
    }
}
