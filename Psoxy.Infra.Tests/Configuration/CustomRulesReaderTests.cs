using System.IO.Compression;
using System.Text;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Configuration;

/// <summary>psoxy:customRules as the reader takes it: files resolved against the project, Psoxy's tags, hash and encodings.</summary>
public sealed class CustomRulesReaderTests
{
    private const string RulesDir = "Psoxy.Infra.Tests/Configuration/CustomRules/";

    // sha1sum of the fixture, computed apart from the program (Terraform's filesha1 gives the same).
    private const string OutlookMailSha1 = "a62a1f75079eac7d8033db9ee0961a9c4c52aa51";

    private static Dictionary<string, string> Valid(string host, string customRules) => new()
    {
        ["environment"] = "dev",
        ["msftTenantId"] = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10",
        ["host"] = host,
        ["connectors"] = """["outlook-mail","msft-entra-id"]""",
        ["aws"] = """{"accountId":"123456789012","deploymentBundle":"s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar","region":"us-east-1"}""",
        ["gcp"] = """{"projectId":"psoxy-test","deploymentBundle":"gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip"}""",
        ["customRules"] = customRules,
    };

    private static StackSettings Read(Dictionary<string, string> values)
    {
        values.Remove(values["host"] == "aws" ? "gcp" : "aws");
        return Repository.InRootAsync(() => Task.FromResult(StackSettingsReader.Read(new DictionaryConfigSource(values), ProviderConfig.None))).GetAwaiter().GetResult();
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    public void RulesWithPsoxysTags_AreRead_WithTheFilesSha1(string host)
    {
        var settings = Read(Valid(host, $$"""{"outlook-mail":"{{RulesDir}}outlook-mail.yaml"}"""));

        var rules = Assert.Single(settings.Proxy.CustomRules).Value;
        Assert.Equal("outlook-mail", rules.ConnectorId);
        Assert.Equal(RulesDir + "outlook-mail.yaml", rules.File);
        Assert.Equal(OutlookMailSha1, rules.Sha1);
        Assert.Contains("!<pseudonymize>", rules.Yaml, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, RulesDir, "outlook-mail.yaml")), rules.Yaml);
    }

    [Fact]
    public void AnAbsolutePath_AndTheDeprecatedAlias_AreAccepted()
    {
        var path = Path.Combine(Repository.Root, RulesDir, "outlook-mail.yaml");
        var values = Valid("aws", System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["azure-ad"] = path }));

        var rules = Assert.Single(Read(values).Proxy.CustomRules);

        Assert.Equal("msft-entra-id", rules.Key);
        Assert.Equal(path, rules.Value.File);
    }

    [Fact]
    public void NoKey_MeansNoCustomRules()
    {
        var values = Valid("gcp", "{}");
        values.Remove("customRules");
        Assert.Empty(Read(values).Proxy.CustomRules);
    }

    [Fact]
    public void SmallRules_AreStoredPlainInAStandardParameter_LargeOnesCompressedInAnAdvancedOne()
    {
        var small = new CustomRules("outlook-mail", "r.yaml", "endpoints: []\n", "x");
        Assert.Equal("endpoints: []\n", small.SsmValue);
        Assert.Equal("Standard", small.SsmTier);

        // aws-ssm-rules: plain below 8192 bytes (advanced from 4096), compressed above.
        var medium = new CustomRules("outlook-mail", "r.yaml", "# " + new string('x', 5000) + "\n", "x");
        Assert.Equal(medium.Yaml, medium.SsmValue);
        Assert.Equal("Advanced", medium.SsmTier);

        var large = new CustomRules("outlook-mail", "r.yaml", "# " + new string('x', 9000) + "\n", "x");
        Assert.Equal(large.Yaml, Gunzip(large.SsmValue));
        Assert.Equal("Standard", large.SsmTier);
    }

    [Fact]
    public void OnGcp_TheVariableIsTheYamlGzippedAndBase64Encoded_AsGcpHostSetsIt()
    {
        var rules = Read(Valid("gcp", $$"""{"outlook-mail":"{{RulesDir}}outlook-mail.yaml"}""")).Proxy.CustomRules["outlook-mail"];

        Assert.Equal(rules.Yaml, Gunzip(rules.GcpVariableValue));
        // The same input always gives the same value, so a plan of unchanged rules shows no change.
        Assert.Equal(rules.GcpVariableValue, CustomRules.Base64Gzip(rules.Yaml));
    }

    /// <summary>How Psoxy's RulesUtils.decodeToYaml reads a compressed value: base64, then gunzip.</summary>
    private static string Gunzip(string value)
    {
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(value)), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
