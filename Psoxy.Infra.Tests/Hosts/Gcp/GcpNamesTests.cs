using System.Text.RegularExpressions;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Hosts.Gcp;

namespace Psoxy.Infra.Tests.Hosts.Gcp;

/// <summary>Names derived for GCP stay within GCP's rules for every environment and connector the configuration allows.</summary>
public sealed class GcpNamesTests
{
    // GCP: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen.
    private static readonly Regex ServiceAccountIdRule = new("^[a-z][-a-z0-9]{4,28}[a-z0-9]$");

    // Secret Manager: letters, digits, '-' and '_', at most 255 characters.
    private static readonly Regex SecretIdRule = new("^[A-Za-z0-9_-]{1,255}$");

    /// <summary>Environment names of every length allowed, hyphens included.</summary>
    public static TheoryData<string> Environments()
    {
        var data = new TheoryData<string>();
        const string Letters = "abcdefghijklmnopqrstuvwxyz";
        for (var length = 1; length <= StackSettingsReader.MaxEnvironmentLength; length++)
        {
            data.Add(Letters[..length]);
        }

        data.Add("prod-eu-west-1-abcde");
        data.Add("a-b-c-d-e-f-g-h-i-j");
        return data;
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void ServiceAccountIds_FitTheRule_AndNeverCollide(string environment)
    {
        Assert.InRange(environment.Length, 1, StackSettingsReader.MaxEnvironmentLength);
        var ids = ConnectorCatalog.All.Select(c => GcpNames.ServiceAccountId(environment, c.Id)).ToList();

        Assert.All(ids, id => Assert.Matches(ServiceAccountIdRule, id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ServiceAccountId_ForTheLongestNames_IsShortenedDeterministically()
    {
        var environment = new string('e', StackSettingsReader.MaxEnvironmentLength);
        var longest = ConnectorCatalog.All.MaxBy(c => c.Id.Length)!.Id;

        var id = GcpNames.ServiceAccountId(environment, longest);

        Assert.Equal(GcpNames.ServiceAccountIdMaxLength, id.Length);
        Assert.Matches(ServiceAccountIdRule, id);
        Assert.StartsWith(environment, id, StringComparison.Ordinal);
        Assert.Equal(id, GcpNames.ServiceAccountId(environment, longest));
        Assert.NotEqual(id, GcpNames.ServiceAccountId(environment[..^1] + "f", longest));
    }

    [Fact]
    public void ServiceAccountId_IsEnvironmentAndConnector_WhenItFits()
    {
        Assert.Equal("prod-outlook-cal", GcpNames.ServiceAccountId("prod", "outlook-cal"));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void FunctionAndSecretNames_FitTheirRules(string environment)
    {
        foreach (var connector in ConnectorCatalog.All)
        {
            // Cloud Run service names (a 2nd gen function's service takes its name): at most 49 characters.
            Assert.Matches("^[a-z][-a-z0-9]{0,47}[a-z0-9]$", GcpNames.FunctionName(environment, connector.Id));
            var prefix = Psoxy.Infra.Hosts.ProxyEnvironment.InstancePrefix(GcpNames.SecretPrefix(environment), connector);
            Assert.Matches(SecretIdRule, prefix + "PRIVATE_KEY_ID");
        }

        Assert.Matches(SecretIdRule, GcpNames.SecretPrefix(environment) + "PSOXY_ENCRYPTION_KEY");
    }

    [Fact]
    public void SecretPrefix_IsUpperCaseWithUnderscores()
    {
        Assert.Equal("PSOXY_PROD_EU_", GcpNames.SecretPrefix("prod-eu"));
    }

    [Fact]
    public void ArtifactsBucketName_FitsForTheLongestProjectAndEnvironment()
    {
        var project = "p" + new string('x', 28) + "9"; // 30 characters, the longest project id
        var environment = new string('e', StackSettingsReader.MaxEnvironmentLength);

        var name = GcpNames.ArtifactsBucketName(project, environment);

        Assert.InRange(name.Length, 3, GcpNames.BucketNameMaxLength);
        Assert.Matches("^[a-z0-9][-a-z0-9]*[a-z0-9]$", name);
    }

    [Fact]
    public void BundleObjectName_CarriesTheContentHash()
    {
        Assert.Equal("dev-psoxy-gcp-0.6.9-0123456789ab.zip", GcpNames.BundleObjectName("dev", "psoxy-gcp-0.6.9.zip", "0123456789abcdef0123"));
    }
}
