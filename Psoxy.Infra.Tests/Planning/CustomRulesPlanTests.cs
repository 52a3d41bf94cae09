using System.Text.Json.Nodes;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Planning;

/// <summary>The plan, in every format, names the connectors that run custom rules, with the file and its SHA-1.</summary>
public sealed class CustomRulesPlanTests : IDisposable
{
    // sha1sum of the fixture, computed apart from the program.
    private const string MailRules = "Psoxy.Infra.Tests/Configuration/CustomRules/outlook-mail.yaml";
    private const string MailSha1 = "a62a1f75079eac7d8033db9ee0961a9c4c52aa51";

    private readonly string _directory = Directory.CreateTempSubdirectory("psoxy-rules-plan-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string StackFile(string host)
    {
        var path = Path.Combine(_directory, $"Pulumi.rules-{host}.yaml");
        var hostObject = host == "aws"
            ? """
                psoxy:aws:
                  accountId: "123456789012"
                  region: us-east-1
                  deploymentBundle: s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar
                aws:region: us-east-1
              """
            : """
                psoxy:gcp:
                  projectId: psoxy-dev-example
                  deploymentBundle: gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip
                gcp:project: psoxy-dev-example
              """;
        File.WriteAllText(path, $"""
            config:
              psoxy:environment: dev
              psoxy:msftTenantId: 6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10
              psoxy:host: {host}
              psoxy:connectors: [outlook-cal, outlook-mail]
              psoxy:customRules:
                outlook-mail: {MailRules}
            {hostObject}
            """);
        return path;
    }

    [Theory]
    [InlineData("aws", "text")]
    [InlineData("aws", "markdown")]
    [InlineData("gcp", "text")]
    [InlineData("gcp", "markdown")]
    public async Task TextAndMarkdown_ShowTheRulesFileAndHash_OfTheConnectorThatHasThem(string host, string format)
    {
        var (exit, stdout, stderr) = await CommandRun.RunAsync("plan", "--config-file", StackFile(host), "--format", format, "--no-instructions");

        Assert.True(exit == ExitCodes.Success, stderr);
        var outputs = stdout[stdout.IndexOf("customRules", StringComparison.Ordinal)..];
        Assert.Contains(MailRules, outputs, StringComparison.Ordinal);
        Assert.Contains(MailSha1, outputs, StringComparison.Ordinal);
        // The connector's instance carries the hash; the other connector has none.
        Assert.Contains($"\"CUSTOM_RULES_SHA\": \"{MailSha1}\"", stdout, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(stdout, "\"CUSTOM_RULES_SHA\""));
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    public async Task Json_HasTheCustomRulesOutput(string host)
    {
        var (exit, stdout, stderr) = await CommandRun.RunAsync("plan", "--config-file", StackFile(host), "--format", "json");

        Assert.True(exit == ExitCodes.Success, stderr);
        var rules = JsonNode.Parse(stdout)!["outputs"]!["customRules"]!.AsObject();
        Assert.Equal(["outlook-mail"], rules.Select(kv => kv.Key));
        Assert.Equal(MailRules, (string?)rules["outlook-mail"]!["file"]);
        Assert.Equal(MailSha1, (string?)rules["outlook-mail"]!["sha1"]);
    }
}
