using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Tests.Configuration;

public sealed class StackSettingsReaderTests
{
    private static Dictionary<string, string> Valid() => new()
    {
        ["environment"] = "dev",
        ["msftTenantId"] = "6F1C2A4E-0B7D-4C1E-9A53-2D8E5F7A9B10",
        ["host"] = "aws",
        ["connectors"] = """["outlook-cal","msft-entra-id"]""",
        ["aws"] = """{"accountId":"123456789012","deploymentBundle":"s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar"}""",
    };

    private static StackSettings Read(Dictionary<string, string> values) => StackSettingsReader.Read(new DictionaryConfigSource(values), ProviderConfig.None);

    private static ConfigProblem SingleProblem(Dictionary<string, string> values) =>
        Assert.Single(Assert.Throws<InvalidConfigurationException>(() => Read(values)).Problems);

    [Fact]
    public void ValidConfiguration_AppliesDefaults()
    {
        var settings = Read(Valid());
        Assert.Equal("dev", settings.Environment);
        Assert.Equal("6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10", settings.MsftTenantId);
        Assert.Equal(HostPlatform.Aws, settings.Host);
        Assert.Equal(["outlook-cal", "msft-entra-id"], settings.Connectors.Select(c => c.Id));
        Assert.Equal(AuthMode.Federated, settings.Auth);
        Assert.False(settings.GrantAdminConsent);
        Assert.True(settings.ProtectApplications);
        Assert.Empty(settings.MsftOwners);
        // The one warning: no caller may invoke the proxies yet.
        Assert.StartsWith("psoxy:aws has neither callerGcpServiceAccountIds nor callerAwsArns", Assert.Single(settings.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pseudonymSalt")]
    [InlineData("encryptionKey")]
    public void PlaintextSaltOrKey_IsWarnedAbout_NamingTheKeyAndTheCommandThatMakesItSecret(string key)
    {
        var values = Valid();
        values[key] = "a-plaintext-value-long-enough";

        var plaintext = StackSettingsReader.Read(new DictionaryConfigSource(values, new HashSet<string>()), ProviderConfig.None);
        var secret = StackSettingsReader.Read(new DictionaryConfigSource(values, new HashSet<string> { key }), ProviderConfig.None);

        var warning = Assert.Single(plaintext.Warnings, w => w.StartsWith($"psoxy:{key} is in plain text", StringComparison.Ordinal));
        Assert.Contains($"`pulumi config set --secret psoxy:{key}`", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("a-plaintext-value-long-enough", string.Join('\n', plaintext.Warnings), StringComparison.Ordinal);
        Assert.DoesNotContain(secret.Warnings, w => w.Contains("plain text", StringComparison.Ordinal));
    }

    [Fact]
    public void UnderPulumi_TheSecretKeysAreThoseTheCliLists()
    {
        var previous = Environment.GetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS");
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", """["psoxy:pseudonymSalt","aws:secretKey"]""");
        try
        {
            var source = new PulumiConfigSource();

            Assert.True(source.IsSecret("pseudonymSalt"));
            Assert.False(source.IsSecret("encryptionKey"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", previous);
        }
    }

    [Theory]
    [InlineData("psoxy-aws-0.6.9.jar", "java21", true)]
    [InlineData("psoxy-aws-0.6.9.jar", "java25", true)]
    [InlineData("psoxy-aws-0.6.9.jar", "java17", false)]
    [InlineData("psoxy-aws-0.7.0-rc1.jar", "java17", false)]
    [InlineData("psoxy-aws.jar", "java17", false)]
    [InlineData("psoxy-aws-0.5.18.jar", "java17", true)]
    [InlineData("psoxy-aws-0.5.18.jar", "java21", true)]
    public void Runtime_IsAcceptedExactlyWhenTheBundleRunsOnIt(string bundle, string runtime, bool accepted)
    {
        var values = Valid();
        values["aws"] = $$"""{"accountId":"123456789012","deploymentBundle":"s3://acme-artifacts/{{bundle}}","runtime":"{{runtime}}"}""";

        if (accepted)
        {
            Assert.Equal(runtime, Read(values).Aws!.Runtime);
        }
        else
        {
            var problem = SingleProblem(values);
            Assert.Equal("aws.runtime", problem.Key);
            Assert.StartsWith("allowed: a Lambda Java runtime the Psoxy bundle runs on: java21, java25 (default java25)", problem.Allowed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ProviderKeys_ThatAgree_OrAreUnset_AreAccepted()
    {
        var values = Valid();
        values["aws"] = """{"accountId":"123456789012","region":"us-east-1","deploymentBundle":"s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar"}""";

        Assert.Equal("us-east-1", StackSettingsReader.Read(new DictionaryConfigSource(values), new ProviderConfig("us-east-1", null)).Aws!.Region);
        Assert.Equal("us-east-1", Read(values).Aws!.Region);
        // The bundle's region is checked against the provider's when psoxy:aws sets none.
        values["aws"] = """{"accountId":"123456789012","deploymentBundle":"s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar"}""";
        var problem = Assert.Single(Assert.Throws<InvalidConfigurationException>(() =>
            StackSettingsReader.Read(new DictionaryConfigSource(values), new ProviderConfig("ap-southeast-2", null))).Problems);
        Assert.Equal("aws.deploymentBundle", problem.Key);
    }

    [Theory]
    [InlineData("outlook-calendar")]
    [InlineData("OUTLOOK-CAL")]
    [InlineData("gdrive")]
    public void UnknownConnector_IsOneProblemNamingKeyValueAndAllowedIds(string id)
    {
        var values = Valid();
        values["connectors"] = $"""["{id}"]""";
        var problem = SingleProblem(values);
        Assert.Equal("connectors", problem.Key);
        Assert.Equal(id, problem.Value);
        var message = problem.ToString();
        Assert.StartsWith($"psoxy:connectors = '{id}'", message, StringComparison.Ordinal);
        Assert.Contains("msft-entra-id, outlook-cal, outlook-mail, msft-teams, msft-onedrive, msft-copilot", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("6f1c2a4e0b7d4c1e9a532d8e5f7a9b10")]
    [InlineData("contoso.onmicrosoft.com")]
    public void MalformedTenantId_IsOneProblemNamingTheKey(string tenant)
    {
        var values = Valid();
        values["msftTenantId"] = tenant;
        var problem = SingleProblem(values);
        Assert.Equal("msftTenantId", problem.Key);
        Assert.StartsWith($"psoxy:msftTenantId = '{tenant}': allowed: the Microsoft 365 (Entra ID) tenant id, a GUID", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("Federated")]
    [InlineData("oidc")]
    public void UnknownAuthMode_IsOneProblemNamingTheKey(string auth)
    {
        var values = Valid();
        values["auth"] = auth;
        var problem = SingleProblem(values);
        Assert.Equal("auth", problem.Key);
        Assert.Equal($"psoxy:auth = '{auth}': allowed: 'federated' (default; workload identity federation, no secrets) or 'certificate' (deprecated)", problem.ToString());
    }

    [Fact]
    public void CertificateAuth_IsAcceptedWithADeprecationWarning()
    {
        var values = Valid();
        values["auth"] = "certificate";
        var settings = Read(values);
        Assert.Equal(AuthMode.Certificate, settings.Auth);
        Assert.Contains(settings.Warnings, w => w.Contains("deprecated", StringComparison.Ordinal) && w.Contains("psoxy:auth", StringComparison.Ordinal));
    }

    [Fact]
    public void AzureAdAlias_DeploysEntraIdWithAWarning()
    {
        var values = Valid();
        values["connectors"] = """["azure-ad"]""";
        var settings = Read(values);
        Assert.Equal("msft-entra-id", Assert.Single(settings.Connectors).Id);
        Assert.Contains(settings.Warnings, w => w.Contains("'azure-ad' is deprecated", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""["outlook-cal","outlook-cal"]""", "'outlook-cal' is listed twice")]
    [InlineData("""["msft-entra-id","azure-ad"]""", "'msft-entra-id' and 'azure-ad' are the same connector")]
    public void DuplicateConnectors_AreRefused(string connectors, string expected)
    {
        var values = Valid();
        values["connectors"] = connectors;
        Assert.Contains(expected, SingleProblem(values).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BetaAndAlphaConnectors_Warn()
    {
        var values = Valid();
        values["connectors"] = """["msft-onedrive","msft-copilot"]""";
        var warnings = Read(values).Warnings;
        Assert.Contains(warnings, w => w.Contains("'msft-onedrive'", StringComparison.Ordinal) && w.Contains("beta", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'msft-copilot'", StringComparison.Ordinal) && w.Contains("alpha", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProblem_IsListedAtOnce()
    {
        var values = new Dictionary<string, string>
        {
            ["environment"] = "Prod_EU",
            ["msftTenantId"] = "nope",
            ["host"] = "azure",
            ["connectors"] = "outlook-cal",
            ["auth"] = "password",
            ["grantAdminConsent"] = "yes",
        };
        var e = Assert.Throws<InvalidConfigurationException>(() => Read(values));
        Assert.Equal(["environment", "msftTenantId", "connectors", "host", "auth", "grantAdminConsent"], e.Problems.Select(p => p.Key));
        Assert.StartsWith("Invalid stack configuration (6 problems); nothing was created:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredKeys_AreEachReported()
    {
        var e = Assert.Throws<InvalidConfigurationException>(() => Read([]));
        Assert.Equal(["environment", "msftTenantId", "connectors", "host"], e.Problems.Select(p => p.Key));
        Assert.All(e.Problems, p => Assert.Null(p.Value));
        Assert.StartsWith("psoxy:environment is not set; set it to", e.Problems[0].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("prod-eu")]
    [InlineData("abcdefghij0123456789")]
    public void GoodEnvironmentNames_AreAccepted(string environment)
    {
        var values = Valid();
        values["environment"] = environment;
        Assert.Equal(environment, Read(values).Environment);
    }

    [Theory]
    [InlineData("abcdefghij0123456789x")]
    [InlineData("-dev")]
    [InlineData("dev-")]
    [InlineData("de--v")]
    [InlineData("1dev")]
    [InlineData("Dev")]
    [InlineData("dev env")]
    [InlineData("")]
    public void BadEnvironmentNames_AreRefused(string environment)
    {
        var values = Valid();
        values["environment"] = environment;
        Assert.Equal("environment", SingleProblem(values).Key);
    }

    [Fact]
    public void Owners_AcceptUserPrincipalNamesAndObjectIds()
    {
        var values = Valid();
        values["msftOwners"] = """["alice@contoso.example","A11CE000-0000-4000-8000-000000000002","alice@contoso.example"]""";
        var owners = Read(values).MsftOwners;
        Assert.Equal(
            [new EntraOwner("alice@contoso.example", false), new EntraOwner("a11ce000-0000-4000-8000-000000000002", true)],
            owners);
    }

    [Fact]
    public void Owner_ThatIsNeitherNameNorId_IsRefused()
    {
        var values = Valid();
        values["msftOwners"] = """["alice"]""";
        var problem = SingleProblem(values);
        Assert.Equal(("msftOwners", "alice"), (problem.Key, problem.Value));
    }

    [Fact]
    public void ExistingApplications_MapEnabledConnectorsToObjectIds()
    {
        var values = Valid();
        values["existingApplications"] = """{"outlook-cal":"0C9B8A7D-6E5F-4A3B-2C1D-0E9F8A7B6C5D"}""";
        Assert.Equal("0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d", Read(values).ExistingApplications["outlook-cal"]);
    }

    [Theory]
    [InlineData("""{"outlook-mail":"0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"}""", "not in psoxy:connectors")]
    [InlineData("""{"outlook-cal":"not-a-guid"}""", "Object ID, a GUID")]
    [InlineData("""{"nope":"0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"}""", "not a connector id")]
    [InlineData("""["outlook-cal"]""", "a map from an enabled connector id")]
    [InlineData("""{"outlook-cal":"0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d","msft-entra-id":"0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"}""", "already adopted for 'outlook-cal'")]
    [InlineData("""{"msft-entra-id":"0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d","azure-ad":"1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a"}""", "'msft-entra-id' and 'azure-ad' are the same connector")]
    public void BadExistingApplications_AreRefused(string map, string expected)
    {
        var values = Valid();
        values["existingApplications"] = map;
        var problem = SingleProblem(values);
        Assert.Equal("existingApplications", problem.Key);
        Assert.Contains(expected, problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("29")]
    [InlineData("731")]
    [InlineData("ninety")]
    public void CertificateValidity_OutOfRange_IsRefused(string days)
    {
        var values = Valid();
        values["certificateValidityDays"] = days;
        Assert.Equal("psoxy:certificateValidityDays = '" + days + "': allowed: a whole number from 30 to 730 (default 180)", SingleProblem(values).ToString());
    }
}
