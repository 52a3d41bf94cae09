using System.Collections.Immutable;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Tests.Safety;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Hosts;

/// <summary>
/// psoxy:customRules deployed as Psoxy v0.6.9 deploys custom_api_connector_rules: on AWS an SSM parameter
/// <c>&lt;instance prefix&gt;RULES</c> (aws-host, aws-ssm-rules), on GCP the <c>RULES</c> variable holding the rules gzipped
/// and base64-encoded (gcp-host); on both <c>CUSTOM_RULES_SHA</c>, the file's SHA-1. Every connector, both hosts.
/// </summary>
public sealed class CustomRulesDeploymentTests : IDisposable
{
    private const string ParameterType = "aws:ssm/parameter:Parameter";
    private const string LambdaType = "aws:lambda/function:Function";
    private const string RolePolicyType = "aws:iam/rolePolicy:RolePolicy";
    private const string CloudFunctionType = "gcp:cloudfunctionsv2/function:Function";

    private static readonly string[] AllConnectors = ConnectorCatalog.All.Select(c => c.Id).ToArray();

    private readonly string _directory = Directory.CreateTempSubdirectory("psoxy-custom-rules-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A rules file of its own for each of <paramref name="connectors"/>, each different, by absolute path.</summary>
    private Dictionary<string, string> RulesFiles(IEnumerable<string> connectors, Func<string, string>? content = null) =>
        connectors.ToDictionary(c => c, c =>
        {
            var path = Path.Combine(_directory, $"{c}.yaml");
            File.WriteAllText(path, content?.Invoke(c) ?? $"""
                # Rules of {c} only.
                endpoints:
                  - pathRegex: "^/v1.0/{c}/?[^/]*"
                    transforms:
                      - !<pseudonymize>
                        jsonPaths:
                          - "$..mail"
                      - !<redact>
                        jsonPaths:
                          - "$..displayName"

                """);
            return path;
        });

    private static Dictionary<string, object> Config(string host, Dictionary<string, string> rules)
    {
        var config = SecurityInvariantTests.AllConnectors(host, "federated", protect: true);
        config["psoxy:customRules"] = rules;
        return config;
    }

    private static string Sha1Hex(string path)
    {
#pragma warning disable CA5350 // Psoxy's fingerprint of the rules file, recomputed apart from the program.
        return Convert.ToHexStringLower(SHA1.HashData(File.ReadAllBytes(path)));
#pragma warning restore CA5350
    }

    private static IReadOnlyDictionary<string, object?> Variables(ObservedResource function) => function.Type == LambdaType
        ? Map(Map(function.Inputs["environment"])["variables"])
        : Map(Map(function.Inputs["serviceConfig"])["environmentVariables"]);

    private static IReadOnlyDictionary<string, object?> Map(object? value) =>
        ((ImmutableDictionary<string, object>)value!).ToDictionary(kv => kv.Key, kv => (object?)kv.Value);

    private static string Gunzip(string base64)
    {
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(base64)), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string InstancePrefix(string connector) => "/psoxy/test/" + connector.ToUpperInvariant().Replace('-', '_') + "_";

    [Fact]
    public async Task Aws_EachConnectorsRulesAreAParameterUnderItsOwnPrefix_ThatOnlyItsRoleReads()
    {
        var files = RulesFiles(AllConnectors);
        var stack = await SafetyRun.ObserveAsync(Config("aws", files));

        var parameters = stack.OfType(ParameterType).Where(p => p.Name.EndsWith("-rules", StringComparison.Ordinal)).ToList();
        Assert.Equal(AllConnectors.Order(StringComparer.Ordinal), parameters.Select(p => p.Name[..^"-rules".Length]).Order(StringComparer.Ordinal));
        foreach (var connector in AllConnectors)
        {
            var parameter = parameters.Single(p => p.Name == $"{connector}-rules");
            // aws-ssm-rules: name <prefix>RULES, type String, the YAML as is (small rules), a standard parameter.
            Assert.Equal(InstancePrefix(connector) + "RULES", parameter.Inputs["name"]);
            Assert.Equal("String", parameter.Inputs["type"]);
            Assert.Equal(File.ReadAllText(files[connector]), parameter.Inputs["insecureValue"]);
            Assert.Equal("Standard", parameter.Inputs["tier"]);
            Assert.False(parameter.Inputs.ContainsKey("value"));

            var function = stack.Resources.Single(r => r.Type == LambdaType && r.Name == $"{connector}-function");
            Assert.Equal(Sha1Hex(files[connector]), Variables(function)["CUSTOM_RULES_SHA"]);
            // The rules exist before the function first starts, or it would serve Psoxy's default rules.
            Assert.Contains(parameter.Urn, function.DependsOn);

            // The one policy that names it is the connector's own execution role's.
            var readers = stack.OfType(RolePolicyType).Where(p => Policy(p).Any(s => s.Resources.Any(r => Covers(r, (string)parameter.Inputs["name"])))).ToList();
            Assert.Equal([$"{connector}-resource-access"], readers.Select(p => p.Name));
            var statement = Policy(readers[0]).Single(s => s.Resources.Any(r => Covers(r, (string)parameter.Inputs["name"])));
            Assert.Contains("ssm:GetParameter", statement.Actions);
        }
    }

    [Fact]
    public async Task Gcp_EachConnectorsFunctionCarriesItsOwnRulesGzippedAndBase64Encoded()
    {
        var files = RulesFiles(AllConnectors);
        var stack = await SafetyRun.ObserveAsync(Config("gcp", files));

        foreach (var connector in AllConnectors)
        {
            var variables = Variables(stack.Resources.Single(r => r.Type == CloudFunctionType && r.Name == $"{connector}-function"));
            Assert.Equal(File.ReadAllText(files[connector]), Gunzip((string)variables["RULES"]!));
            Assert.Equal(Sha1Hex(files[connector]), variables["CUSTOM_RULES_SHA"]);
        }

        // Nothing stored besides: the rules are not a secret, and live in the function's configuration only.
        Assert.DoesNotContain(stack.Resources, r => r.Name.Contains("rules", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    public async Task ConnectorsWithoutRules_KeepPsoxysDefaults_AndNoOtherConnectorsRules(string host)
    {
        var files = RulesFiles(["outlook-mail"]);
        var stack = await SafetyRun.ObserveAsync(Config(host, files));

        foreach (var connector in AllConnectors.Where(c => c != "outlook-mail"))
        {
            var function = stack.Resources.Single(r => r.Type is LambdaType or CloudFunctionType && r.Name == $"{connector}-function");
            Assert.DoesNotContain("RULES", Variables(function).Keys);
            Assert.DoesNotContain("CUSTOM_RULES_SHA", Variables(function).Keys);
        }

        Assert.Equal(host == "aws" ? ["outlook-mail-rules"] : [], stack.OfType(ParameterType).Where(p => p.Name.EndsWith("-rules", StringComparison.Ordinal)).Select(p => p.Name));
        var output = stack.PlainOutputs["customRules"]!.AsObject();
        Assert.Equal(["outlook-mail"], output.Select(kv => kv.Key));
        Assert.Equal(files["outlook-mail"], (string?)output["outlook-mail"]!["file"]);
        Assert.Equal(Sha1Hex(files["outlook-mail"]), (string?)output["outlook-mail"]!["sha1"]);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    public async Task WithoutCustomRules_NothingChanges(string host)
    {
        var config = SecurityInvariantTests.AllConnectors(host, "federated", protect: true);
        config.Remove("psoxy:customRules");
        var stack = await SafetyRun.ObserveAsync(config);

        Assert.DoesNotContain(stack.Resources, r => r.Name.EndsWith("-rules", StringComparison.Ordinal));
        Assert.All(stack.Resources.Where(r => r.Type is LambdaType or CloudFunctionType), f =>
        {
            Assert.DoesNotContain("RULES", Variables(f).Keys);
            Assert.DoesNotContain("CUSTOM_RULES_SHA", Variables(f).Keys);
        });
        Assert.Empty(stack.PlainOutputs["customRules"]!.AsObject());
    }

    [Fact]
    public async Task Aws_RulesLargerThanAParameterHolds_AreStoredCompressed_InTheTierTheirSizeNeeds()
    {
        // 9 KB of YAML (more than an advanced parameter's 8 KB) that compresses well: aws-ssm-rules base64gzips it.
        var files = RulesFiles(["outlook-cal"], c => "endpoints:\n" + string.Concat(Enumerable.Range(0, 300).Select(i => $"  - pathRegex: \"^/v1.0/users/{i}\"\n")));
        Assert.True(new FileInfo(files["outlook-cal"]).Length > 8192);
        var stack = await SafetyRun.ObserveAsync(Config("aws", files));

        var parameter = stack.OfType(ParameterType).Single(p => p.Name == "outlook-cal-rules");
        Assert.Equal(File.ReadAllText(files["outlook-cal"]), Gunzip((string)parameter.Inputs["insecureValue"]));
        Assert.Equal("Standard", parameter.Inputs["tier"]);
    }

    [Fact]
    public async Task Aws_TheRulesParameterIsDeletedBeforeItIsReplaced_SinceTheNewOneTakesItsName()
    {
        // The provider replaces a parameter going from the advanced tier to the standard one (rules shrinking below 4 KB).
        bool? deleteBeforeReplace = null;
        Pulumi.ResourceTransformation observe = args =>
        {
            if (args.Resource.GetResourceName() == "outlook-cal-rules")
            {
                deleteBeforeReplace = ((Pulumi.CustomResourceOptions)args.Options).DeleteBeforeReplace;
            }

            return null;
        };
        await SafetyRun.ObserveAsync(Config("aws", RulesFiles(["outlook-cal"])), breaker: observe);

        Assert.True(deleteBeforeReplace);
    }

    [Fact]
    public async Task Aws_WithAKmsKey_TheRulesStayAPlainStringParameter_AsPsoxyStoresThem()
    {
        var files = RulesFiles(["outlook-cal"]);
        var config = Config("aws", files);
        ((Dictionary<string, object>)config["psoxy:aws"])["kmsKeyArn"] = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var stack = await SafetyRun.ObserveAsync(config);

        var parameter = stack.OfType(ParameterType).Single(p => p.Name == "outlook-cal-rules");
        // A String parameter has no key (only SecureString ones do); aws-ssm-rules sets none either.
        Assert.Equal("String", parameter.Inputs["type"]);
        Assert.False(parameter.Inputs.ContainsKey("keyId"));
    }

    [Fact]
    public async Task Gcp_TheProgramsOwnVariables_StayWithinWhatTheSizeCheckLeavesThem()
    {
        // The longest environment name, certificate auth and every connector: the most the program itself sets.
        var config = SecurityInvariantTests.AllConnectors("gcp", "certificate", protect: true);
        config["psoxy:environment"] = "abcdefghij-klmnopqrs";
        config["psoxy:nonProductionConnectors"] = AllConnectors;
        config.Remove("psoxy:customRules");
        var stack = await SafetyRun.ObserveAsync(config);

        foreach (var function in stack.OfType(CloudFunctionType))
        {
            var bytes = Variables(function).Sum(kv => Encoding.UTF8.GetByteCount(kv.Key) + Encoding.UTF8.GetByteCount((string)kv.Value!));
            Assert.True(bytes <= Psoxy.Infra.Configuration.CustomRulesReader.GcpProgramVariablesAllowance / 2,
                $"{function.Name}: {bytes} bytes of the program's own variables");
        }
    }

    private static IReadOnlyList<Aws.PolicyStatement> Policy(ObservedResource policy) => Aws.PolicyStatement.Parse((string)policy.Inputs["policy"]);

    /// <summary>Whether an IAM resource (an SSM parameter ARN, possibly ending in *) covers the parameter <paramref name="name"/>.</summary>
    private static bool Covers(string resource, string name)
    {
        var marker = resource.IndexOf(":parameter/", StringComparison.Ordinal);
        if (marker < 0)
        {
            return resource == "*";
        }

        var pattern = resource[(marker + ":parameter/".Length)..];
        var target = name.TrimStart('/');
        return pattern.EndsWith('*') ? target.StartsWith(pattern[..^1], StringComparison.Ordinal) : target == pattern;
    }
}
