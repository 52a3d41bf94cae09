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
    public void RulesOfExactlyTheAdvancedLimit_AreCompressed_SoTheyFit()
    {
        var rules = new CustomRules("outlook-mail", "r.yaml", "# " + new string('x', 8189) + "\n", "x");
        Assert.Equal(8192, Encoding.UTF8.GetByteCount(rules.Yaml));
        Assert.Equal(rules.Yaml, Gunzip(rules.SsmValue));
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x61, 0x3a, 0x20, 0x31, 0x0a, 0x2d, 0x2d, 0x2d, 0x0a, 0x62, 0x3a, 0x20, 0x32, 0x0a }, "2 YAML documents, where Psoxy reads one")]
    [InlineData(new byte[] { 0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a }, "not UTF-8 text")]
    [InlineData(new byte[] { 0x22, 0x6a, 0x75, 0x73, 0x74, 0x20, 0x74, 0x65, 0x78, 0x74, 0x22, 0x0a }, "not Psoxy rules: its top level (line 1) is not a mapping")]
    public void FilesThatAreNoRules_AreRefused_SayingWhy(byte[] content, string why)
    {
        var path = Path.Combine(Path.GetTempPath(), $"psoxy-rules-{Guid.NewGuid():N}.yaml");
        File.WriteAllBytes(path, content);
        try
        {
            var values = Valid("aws", System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["outlook-mail"] = path }));
            var problem = Assert.Single(Assert.Throws<InvalidConfigurationException>(() => Read(values)).Problems);

            Assert.Equal("customRules", problem.Key);
            Assert.Equal($"outlook-mail: {path}", problem.Value);
            Assert.StartsWith(why + "; allowed: a YAML file of Psoxy rules", problem.Allowed, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
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
