using System.Collections.Immutable;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Entra;
using Psoxy.Infra.Hosts.Gcp;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Entra;

public sealed class EntraConnectionTests
{
    private const string ApplicationType = "azuread:index/application:Application";
    private const string CredentialType = "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential";
    private const string CertificateType = "azuread:index/applicationCertificate:ApplicationCertificate";
    private const string ServicePrincipalType = "azuread:index/servicePrincipal:ServicePrincipal";
    private const string AssignmentType = "azuread:index/appRoleAssignment:AppRoleAssignment";
    private const string TenantId = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10";

    public static TheoryData<string> ConnectorIds => new(ConnectorCatalog.All.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(ConnectorIds))]
    public async Task Application_RequestsExactlyTheConnectorsGraphRolesByGuid(string id)
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig(id));
        var spec = ConnectorCatalog.Find(id)!;
        var inputs = run.Inputs(ApplicationType, id);

        Assert.Equal($"Psoxy Connector - {spec.DisplayName} (test)", inputs["displayName"]);
        var access = Assert.Single((ImmutableArray<object>)inputs["requiredResourceAccesses"]);
        var block = (ImmutableDictionary<string, object>)access;
        Assert.Equal("00000003-0000-0000-c000-000000000000", block["resourceAppId"]);
        var roles = ((ImmutableArray<object>)block["resourceAccesses"]).Cast<ImmutableDictionary<string, object>>().ToList();
        Assert.Equal(spec.RequiredAppRoles.Select(GraphAppRoles.IdOf), roles.Select(r => (string)r["id"]));
        Assert.All(roles, r => Assert.Equal("Role", r["type"]));

        var tags = (ImmutableDictionary<string, object>)Assert.Single((ImmutableArray<object>)inputs["featureTags"]);
        Assert.Equal(true, tags["hide"]);
        Assert.Equal(false, tags["enterprise"]);
        Assert.Equal(false, tags["gallery"]);

        // Nothing that widens access or holds a secret.
        string[] allowed = ["displayName", "description", "owners", "featureTags", "requiredResourceAccesses"];
        Assert.Empty(inputs.Keys.Except(allowed));
    }

    [Fact]
    public async Task EveryConnector_GetsItsOwnApplicationAndCredential()
    {
        var ids = ConnectorCatalog.All.Select(c => c.Id).ToArray();
        var run = await StackRun.RunAsync(StackRun.GcpConfig(ids));
        Assert.Equal(ids.Order(), run.OfType(ApplicationType).Select(a => a.Name!).Order());
        Assert.Equal(ids.Select(i => $"{i}-federated-credential").Order(), run.OfType(CredentialType).Select(a => a.Name!).Order());
        Assert.Empty(run.OfType(CertificateType));
        Assert.Empty(run.OfType(ServicePrincipalType));
    }

    [Fact]
    public async Task GcpFederatedCredential_TrustsTheConnectorsServiceAccount()
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig("outlook-mail"));
        var credential = run.Inputs(CredentialType, "outlook-mail-federated-credential");

        Assert.Equal("/applications/" + FakeCloud.ObjectIdOf("outlook-mail"), credential["applicationId"]);
        Assert.Equal("https://accounts.google.com", credential["issuer"]);
        Assert.Equal(["api://AzureADTokenExchange"], ((ImmutableArray<object>)credential["audiences"]).Cast<string>());
        Assert.Equal(FakeCloud.UniqueIdOf("outlook-mail-service-account"), credential["subject"]);
        Assert.Equal("psoxy-test-gcp", credential["displayName"]);

        var account = run.Inputs("gcp:serviceaccount/account:Account", "outlook-mail-service-account");
        Assert.Equal("test-outlook-mail", account["accountId"]);
    }

    [Theory]
    [InlineData("gcp", "federated")]
    [InlineData("aws", "federated")]
    [InlineData("gcp", "certificate")]
    public async Task ConnectorsOutput_StatesExactlyWhatEachApplicationTrusts(string host, string auth)
    {
        var config = host == "aws" ? Hosts.Aws.AwsTestRun.Config("outlook-cal") : StackRun.GcpConfig("outlook-cal");
        config["psoxy:auth"] = auth;
        var run = host == "aws" ? await Hosts.Aws.AwsTestRun.RunAsync(config) : await StackRun.RunAsync(config);

        var connector = (await run.Stack.Connectors.ValueAsync())["outlook-cal"];
        if (auth == "certificate")
        {
            Assert.False(connector.ContainsKey("federatedCredential"));
            return;
        }

        var trusted = (System.Collections.Immutable.ImmutableDictionary<string, string>)connector["federatedCredential"];
        var credential = run.Inputs(CredentialType, "outlook-cal-federated-credential");
        Assert.Equal(credential["issuer"], trusted["issuer"]);
        Assert.Equal(Assert.Single((ImmutableArray<object>)credential["audiences"]), trusted["audience"]);
        Assert.Equal(credential["subject"], trusted["subject"]);
        Assert.Equal(host == "aws" ? Hosts.Aws.AwsTestRun.IdentityIdOf("outlook-cal") : FakeCloud.UniqueIdOf("outlook-cal-service-account"), trusted["subject"]);
    }

    [Fact]
    public async Task Preview_LeavesCloudComputedValuesUnknown()
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal"), preview: true, mocks: new PreviewCloud());
        Assert.False(await Pulumi.Utilities.OutputUtilities.GetIsKnownAsync(run.Stack.Connectors));
        // The document for the admin is whole in a preview, with the ids Entra assigns marked as not known yet.
        var instructions = await run.Stack.AdminInstructions.ValueAsync();
        Assert.Contains(Psoxy.Infra.Hosts.PreviewValue.KnownAfterDeploy, instructions, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeCloud.ClientIdOf("outlook-cal"), instructions, StringComparison.Ordinal);
        Assert.Equal(TenantId, await run.Stack.TenantId.ValueAsync());
    }

    [Fact]
    public async Task Owners_AreTheDeployerPlusConfiguredOwnersByNameAndId_Sorted()
    {
        var config = StackRun.GcpConfig("outlook-cal");
        config["psoxy:msftOwners"] = new[] { "bob@contoso.example", "C0FFEE00-0000-4000-8000-000000000009" };
        var run = await StackRun.RunAsync(config);

        var owners = ((ImmutableArray<object>)run.Inputs(ApplicationType, "outlook-cal")["owners"]).Cast<string>();
        Assert.Equal(
            new[] { FakeCloud.DeployerObjectId, "c0ffee00-0000-4000-8000-000000000009", run.Cloud.Users["bob@contoso.example"] }.Order(StringComparer.Ordinal),
            owners);
        var lookup = Assert.Single(run.Cloud.Calls, c => c.Token == "azuread:index/getUsers:getUsers");
        Assert.Equal(["bob@contoso.example"], ((ImmutableArray<object>)lookup.Args["userPrincipalNames"]).Cast<string>());
    }

    [Fact]
    public async Task OwnersById_NeedNoDirectoryLookup()
    {
        var config = StackRun.GcpConfig("outlook-cal");
        config["psoxy:msftOwners"] = new[] { "c0ffee00-0000-4000-8000-000000000009" };
        var run = await StackRun.RunAsync(config);
        Assert.DoesNotContain(run.Cloud.Calls, c => c.Token == "azuread:index/getUsers:getUsers");
    }

    [Fact]
    public async Task ExistingApplication_IsImportedByItsResourceId()
    {
        var config = StackRun.GcpConfig("outlook-cal", "outlook-mail");
        config["psoxy:existingApplications"] = new Dictionary<string, string> { ["outlook-cal"] = "0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d" };
        var run = await StackRun.RunAsync(config);

        var adopted = run.OfType(ApplicationType).Single(a => a.Name == "outlook-cal");
        Assert.Equal("/applications/0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d", adopted.Id);
        var created = run.OfType(ApplicationType).Single(a => a.Name == "outlook-mail");
        Assert.True(string.IsNullOrEmpty(created.Id));

        var connectors = await run.Stack.Connectors.ValueAsync();
        Assert.Equal("0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d", connectors["outlook-cal"]["applicationObjectId"]);
    }

    [Fact]
    public async Task GrantAdminConsent_AssignsEachRoleToTheApplicationsServicePrincipal()
    {
        var config = StackRun.GcpConfig("msft-entra-id");
        config["psoxy:grantAdminConsent"] = "true";
        var run = await StackRun.RunAsync(config);

        var sp = run.Inputs(ServicePrincipalType, "msft-entra-id-service-principal");
        Assert.Equal(FakeCloud.ClientIdOf("msft-entra-id"), sp["clientId"]);
        var graphLookup = Assert.Single(run.Cloud.Calls, c => c.Token == "azuread:index/getServicePrincipal:getServicePrincipal");
        Assert.Equal("00000003-0000-0000-c000-000000000000", graphLookup.Args["clientId"]);

        var assignments = run.OfType(AssignmentType).ToList();
        Assert.Equal(
            ConnectorCatalog.Find("msft-entra-id")!.RequiredAppRoles.Select(GraphAppRoles.IdOf).Order(),
            assignments.Select(a => (string)a.Inputs["appRoleId"]).Order());
        Assert.All(assignments, a =>
        {
            Assert.Equal(FakeCloud.ObjectIdOf("msft-entra-id-service-principal"), a.Inputs["principalObjectId"]);
            Assert.Equal(FakeCloud.GraphServicePrincipalObjectId, a.Inputs["resourceObjectId"]);
        });
    }

    [Fact]
    public async Task WithoutGrantAdminConsent_NoConsentIsGranted()
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig("msft-entra-id"));
        Assert.Empty(run.OfType(AssignmentType));
        Assert.DoesNotContain(run.Cloud.Calls, c => c.Token == "azuread:index/getServicePrincipal:getServicePrincipal");
    }

    [Fact]
    public async Task CertificateAuth_AddsACertificateInsideTheKeysValidity_AndNoFederatedCredential()
    {
        var config = StackRun.GcpConfig("outlook-cal");
        config["psoxy:auth"] = "certificate";
        config["psoxy:certificateValidityDays"] = "90";
        var run = await StackRun.RunAsync(config);

        Assert.Empty(run.OfType(CredentialType));
        var key = run.Inputs("tls:index/privateKey:PrivateKey", "outlook-cal-certificate-key");
        Assert.Equal("RSA", key["algorithm"]);
        Assert.Equal(2048.0, key["rsaBits"]);
        var cert = run.Inputs("tls:index/selfSignedCert:SelfSignedCert", "outlook-cal-certificate");
        Assert.Equal(90.0 * 24, cert["validityPeriodHours"]);
        Assert.Equal(30.0 * 24, cert["earlyRenewalHours"]);

        var credential = run.Inputs(CertificateType, "outlook-cal-certificate");
        Assert.Equal("/applications/" + FakeCloud.ObjectIdOf("outlook-cal"), credential["applicationId"]);
        Assert.Equal("AsymmetricX509Cert", credential["type"]);
        Assert.Equal("pem", credential["encoding"]);
        // The mock certificate is valid from 2026-11-01T12:00Z for 90 days; the credential sits 15 minutes inside.
        Assert.Equal("2026-11-01T12:15:00Z", credential["startDate"]);
        Assert.Equal("2027-01-30T11:45:00Z", credential["endDate"]);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", (string)credential["value"], StringComparison.Ordinal);
    }

    [Fact]
    public void Thumbprint_IsTheUpperCaseSha1OfTheCertificate()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=t", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
#pragma warning disable CA5350 // SHA-1 is what Entra ID's x5t certificate thumbprint is defined as.
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(cert.RawData));
#pragma warning restore CA5350
        Assert.Equal(expected, EntraConnection.Sha1Thumbprint(cert.ExportCertificatePem()));
    }

    [Fact]
    public async Task Outputs_DescribeEachConnector()
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal", "msft-teams"));
        Assert.Equal(TenantId, await run.Stack.TenantId.ValueAsync());

        var connectors = await run.Stack.Connectors.ValueAsync();
        Assert.Equal(["msft-teams", "outlook-cal"], connectors.Keys.Order());
        var cal = connectors["outlook-cal"];
        var clientId = FakeCloud.ClientIdOf("outlook-cal");
        Assert.Equal("Psoxy Connector - Outlook Calendar (test)", cal["displayName"]);
        Assert.Equal(clientId, cal["clientId"]);
        Assert.Equal(FakeCloud.ObjectIdOf("outlook-cal"), cal["applicationObjectId"]);
        Assert.Equal("/applications/" + FakeCloud.ObjectIdOf("outlook-cal"), cal["applicationId"]);
        Assert.Equal(new[] { "Calendars.Read", "MailboxSettings.Read", "Group.Read.All", "User.Read.All" }, ((ImmutableArray<string>)cal["requiredAppRoles"]).ToArray());
        Assert.Equal($"https://login.microsoftonline.com/{TenantId}/adminconsent?client_id={clientId}", cal["adminConsentUrl"]);
        Assert.Equal($"https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/{clientId}/isMSAApp~/false", cal["permissionsPageUrl"]);
    }

    [Fact]
    public async Task AdminInstructions_ListRolesWhoMayGrantAndTheTeamsStep()
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal", "msft-teams"));
        var md = await run.Stack.AdminInstructions.ValueAsync();
        var teamsClientId = FakeCloud.ClientIdOf("msft-teams");

        Assert.Contains("Privileged Role Administrator", md, StringComparison.Ordinal);
        Assert.Contains("## 1. Psoxy Connector - Outlook Calendar (test)", md, StringComparison.Ordinal);
        Assert.Contains("| `Calendars.Read` | Application | `798ee544-9d2d-430c-a058-570e29e34338` |", md, StringComparison.Ordinal);
        Assert.Contains($"New-CsApplicationAccessPolicy -Identity Teams-Policy-For-Worklytics -AppIds \"{teamsClientId}\"", md, StringComparison.Ordinal);
        Assert.Contains("Authorization_IdentityNotFound", md, StringComparison.Ordinal);
        Assert.Contains("AADSTS7000112", md, StringComparison.Ordinal);
        Assert.DoesNotContain("{clientId}", md, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("psoxy:connectors", new[] { "outlook-calendar" }, "psoxy:connectors = 'outlook-calendar'")]
    [InlineData("psoxy:msftTenantId", "contoso", "psoxy:msftTenantId = 'contoso'")]
    [InlineData("psoxy:auth", "password", "psoxy:auth = 'password'")]
    public async Task InvalidConfiguration_StopsWithOneClearErrorBeforeAnyResource(string key, object value, string expected)
    {
        var config = StackRun.GcpConfig("outlook-cal");
        config[key] = value;
        var cloud = new FakeCloud();
        var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(config, cloud: cloud));
        Assert.StartsWith("Invalid stack configuration (1 problem); nothing was created:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Empty(cloud.Resources);
    }

    [Fact]
    public void ServiceAccountIds_FitGcpLimits_ForTheLongestNames()
    {
        var environment = new string('e', 20);
        var ids = ConnectorCatalog.All.Select(c => GcpNames.ServiceAccountId(environment, c.Id)).ToList();
        Assert.All(ids, id => Assert.InRange(id.Length, 6, 30));
        Assert.All(ids, id => Assert.Matches("^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
