using System.Text.Json.Nodes;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Planning;

/// <summary>The offline plan, run as the README runs it, on every stack file of the repository and on bad ones.</summary>
public sealed class OfflinePlanTests
{
    public static TheoryData<string> StackFiles => [.. Repository.StackFiles];

    private static Task<(int Exit, string Stdout, string Stderr)> PlanAsync(params string[] args) => CommandRun.RunAsync(["plan", .. args]);

    [Fact]
    public void TheRepositoryHasADevStackAndFurtherEnvironmentsOnEachHost()
    {
        Assert.Contains("Pulumi.dev.yaml", Repository.StackFiles);
        var stacks = Repository.StackFiles.Where(f => f.StartsWith("stacks/", StringComparison.Ordinal)).Select(f => File.ReadAllText(Path.Combine(Repository.Root, f))).ToList();
        Assert.Contains(stacks, s => s.Contains("psoxy:host: aws", StringComparison.Ordinal));
        Assert.Contains(stacks, s => s.Contains("psoxy:host: gcp", StringComparison.Ordinal));
        Assert.Contains(stacks, s => s.Contains("psoxy:auth: certificate", StringComparison.Ordinal) && s.Contains("psoxy:existingApplications:", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(StackFiles))]
    public async Task EveryStackFilePlans_WithATreeOutputsInstructionsAndSummary(string stackFile)
    {
        var (exit, stdout, stderr) = await PlanAsync("--config-file", stackFile, "--format", "json");

        Assert.True(exit == ExitCodes.Success, stderr);
        var plan = JsonNode.Parse(stdout)!.AsObject();
        var steps = plan["steps"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.All(steps, s => Assert.Equal("create", s["op"]!.GetValue<string>()));
        Assert.All(steps, s => Assert.Equal(s["urn"]!.GetValue<string>(), s["newState"]!["urn"]!.GetValue<string>()));
        var resources = steps.Select(s => s["newState"]!.AsObject()).ToList();
        Assert.Single(resources, r => r["type"]!.GetValue<string>() == "pulumi:pulumi:Stack");
        // Every resource but the stack has a parent that is itself planned.
        var urns = resources.Select(r => r["urn"]!.GetValue<string>()).ToHashSet();
        Assert.All(resources.Where(r => r["type"]!.GetValue<string>() != "pulumi:pulumi:Stack"), r => Assert.Contains(r["parent"]!.GetValue<string>(), urns));
        Assert.All(resources.SelectMany(r => r["dependencies"]!.AsArray()), d => Assert.Contains(d!.GetValue<string>(), urns));
        Assert.Contains("Application", plan["adminInstructions"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(plan["outputs"]!["connectors"]);
        Assert.True(plan["summary"]!["longestChain"]!.AsArray().Count >= 2);
        Assert.Equal(resources.Count, plan["changeSummary"]!["create"]!.GetValue<int>());
        Assert.DoesNotContain(StackFile.SecretPlaceholder, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u27E6", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("%E2%9F%A6", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwsStack_StoresTheGeneratedSecretsMasked()
    {
        var (exit, stdout, _) = await PlanAsync("--stack", "prod-aws", "--format", "json");

        Assert.Equal(ExitCodes.Success, exit);
        var parameters = JsonNode.Parse(stdout)!["steps"]!.AsArray().Select(s => s!["newState"])
            .Where(r => r!["type"]!.GetValue<string>() == "aws:ssm/parameter:Parameter").ToList();
        Assert.Equal(["/psoxy/prod/PSOXY_ENCRYPTION_KEY", "/psoxy/prod/PSOXY_SALT"], parameters.Select(p => p!["inputs"]!["name"]!.GetValue<string>()).Order());
        Assert.All(parameters, p => Assert.True(PlanValue.IsSecret(p!["inputs"]!["value"])));
    }

    [Fact]
    public async Task DevStack_TextPlanShowsTheTreeAndWhatIsKnownOnlyAfterDeploy()
    {
        var (exit, stdout, _) = await PlanAsync();

        Assert.Equal(ExitCodes.Success, exit);
        Assert.StartsWith("Plan for stack 'dev' (Pulumi.dev.yaml)", stdout, StringComparison.Ordinal);
        Assert.Contains("+ pulumi:pulumi:Stack  psoxy-dev", stdout, StringComparison.Ordinal);
        Assert.Contains("    + psoxy:entra:Connection  outlook-cal", stdout, StringComparison.Ordinal);
        Assert.Contains("      + azuread:index/application:Application  outlook-cal  [protected]", stdout, StringComparison.Ordinal);
        Assert.Contains("subject: (known after deploy)", stdout, StringComparison.Ordinal);
        Assert.Contains("Longest dependency chain:", stdout, StringComparison.Ordinal);
        Assert.Contains("Worklytics instructions:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MermaidFormat_IsAFlowchartWithAnEdgeFromEachApplicationToItsCredential()
    {
        var (exit, stdout, _) = await PlanAsync("--format", "mermaid");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.StartsWith("flowchart LR", stdout, StringComparison.Ordinal);
        var ids = stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("[\"", StringComparison.Ordinal))
            .ToDictionary(l => l[(l.StartsWith("subgraph ", StringComparison.Ordinal) ? "subgraph ".Length : 0)..l.IndexOf('[', StringComparison.Ordinal)], l => l);
        var application = ids.Single(kv => kv.Value.EndsWith("<br/>outlook-cal\"]", StringComparison.Ordinal) && kv.Value.Contains("Application<br/>", StringComparison.Ordinal)).Key;
        var credential = ids.Single(kv => kv.Value.Contains("outlook-cal-federated-credential", StringComparison.Ordinal)).Key;
        Assert.Contains($"{application} --> {credential}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkdownFormat_EmbedsTheDiagramAndTheInstructions()
    {
        var (exit, stdout, _) = await PlanAsync("--stack", "dev", "--format", "markdown");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.StartsWith("# Plan for stack `dev`", stdout, StringComparison.Ordinal);
        Assert.Contains("```mermaid\nflowchart LR", stdout.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("## Psoxy Microsoft 365 connectors (dev): steps for the Entra admin", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_WritesThePlanAndBothInstructionFiles()
    {
        var directory = Path.Combine(Path.GetTempPath(), "psoxy-plan-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, stdout, _) = await PlanAsync("--format", "markdown", "--out", directory);

            Assert.Equal(ExitCodes.Success, exit);
            Assert.Equal(stdout, await File.ReadAllTextAsync(Path.Combine(directory, "plan.md")));
            Assert.StartsWith("# Psoxy Microsoft 365 connectors (dev)", await File.ReadAllTextAsync(Path.Combine(directory, "admin-instructions.md")), StringComparison.Ordinal);
            Assert.StartsWith("# Connect the Psoxy instances of 'dev' in Worklytics", await File.ReadAllTextAsync(Path.Combine(directory, "worklytics-instructions.md")), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task InvalidConfiguration_Exits2ListingEveryProblemAndDeclaresNothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"Pulumi.bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            config:
              psoxy:environment: Prod_EU
              psoxy:msftTenantId: not-a-guid
              psoxy:host: azure
              psoxy:connectors: [outlook-cal, gdrive]
            """);
        try
        {
            var (exit, stdout, stderr) = await PlanAsync("--config-file", file);

            Assert.Equal(ExitCodes.InvalidInput, exit);
            Assert.Empty(stdout);
            Assert.Contains("Invalid stack configuration (4 problems); nothing was created:", stderr, StringComparison.Ordinal);
            Assert.Contains("psoxy:environment = 'Prod_EU'", stderr, StringComparison.Ordinal);
            Assert.Contains("psoxy:msftTenantId = 'not-a-guid'", stderr, StringComparison.Ordinal);
            Assert.Contains("psoxy:host = 'azure'", stderr, StringComparison.Ordinal);
            Assert.Contains("psoxy:connectors = 'gdrive'", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>What <c>pulumi up</c> would refuse is refused by the plan too: the repository's stack files with one value changed.</summary>
    [Theory]
    [InlineData("stacks/Pulumi.prod-aws.yaml", "aws:region: us-east-1", "aws:region: eu-west-1",
        "psoxy:aws.region = 'us-east-1': differs from aws:region = 'eu-west-1'")]
    [InlineData("stacks/Pulumi.prod-aws.yaml", "psoxy-public-artifacts-us-east-1", "psoxy-public-artifacts-eu-central-1",
        "psoxy:aws.deploymentBundle = 's3://psoxy-public-artifacts-eu-central-1/psoxy-aws-0.6.9.jar': Psoxy's public bucket of eu-central-1, but the proxies run in us-east-1")]
    [InlineData("Pulumi.dev.yaml", "gcp:project: psoxy-dev-example", "gcp:project: someone-elses-project",
        "psoxy:gcp.projectId = 'psoxy-dev-example': differs from gcp:project = 'someone-elses-project'")]
    [InlineData("Pulumi.dev.yaml", "region: us-central1", "region: us-central1\n    runtime: java17",
        "psoxy:gcp.runtime = 'java17': allowed: a Cloud Functions Java runtime the Psoxy bundle runs on: java21, java25")]
    [InlineData("stacks/Pulumi.prod-aws.yaml", "aws:region: us-east-1", "aws:region: us-east-1\n  aws:assumeRole:\n    roleArn: arn:aws:iam::123456789012:role/deployer",
        "aws:assumeRole = '[value not shown]': not a key of the AWS provider v7, which ignores it; move the role to aws:assumeRoles")]
    [InlineData("stacks/Pulumi.prod-aws.yaml", "aws:region: us-east-1", "aws:region: us-east-1\n  aws:assumeRoles:\n    - roleArn: arn:aws:iam::123456789012:role/deployer\n      duration: \"900\"",
        "aws:assumeRoles[0].duration = '\"900\"': allowed: a Go duration from 15m to 12h")]
    [InlineData("stacks/Pulumi.prod-aws.yaml", "aws:region: us-east-1", "aws:region: us-east-1\n  aws:assumeRoleWithWebIdentity:\n    roleArn: arn:aws:iam::123456789012:role/ci\n    webIdentityTokenFile: no-such-ci-token",
        "aws:assumeRoleWithWebIdentity.webIdentityTokenFile = 'no-such-ci-token': no such file")]
    public async Task WhatTheDeploymentWouldRefuse_Exits2(string stackFile, string find, string replace, string problem)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Repository.Root, stackFile));
        Assert.Contains(find, text, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"Pulumi.refused-{Guid.NewGuid():N}.yaml");
        var index = text.IndexOf(find, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text[..index] + replace + text[(index + find.Length)..]);
        try
        {
            var (exit, stdout, stderr) = await PlanAsync("--config-file", file);

            Assert.Equal(ExitCodes.InvalidInput, exit);
            Assert.Empty(stdout);
            Assert.Contains(problem, stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task GcpPlan_ShowsTheDeployersActAsGrants_AndSaysWhoTheDeployerIsIsKnownAtUp()
    {
        var (exit, stdout, _) = await PlanAsync("--stack", "dev");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("note: The principal running `pulumi up` on GCP (the provider's credentials) is granted roles/iam.serviceAccountUser on each service account the stack creates; who it is is known only to Google", stdout, StringComparison.Ordinal);
        Assert.Contains("gcp:serviceaccount/iAMMember:IAMMember  gcp-build-deployer-act-as", stdout, StringComparison.Ordinal);
        Assert.Contains("gcp:serviceaccount/iAMMember:IAMMember  outlook-cal-deployer-act-as", stdout, StringComparison.Ordinal);
        Assert.Contains("gcp:projects/iAMMember:IAMMember  gcp-build-staging-reader", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWebIdentityTokenInTheStackFile_IsNeverShown_WhenItsSettingsAreRefused()
    {
        const string Token = "eyJhbGciOiJSUzI1NiJ9.ci-token-in-a-stack-file.sig";
        var text = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "stacks/Pulumi.prod-aws.yaml"));
        var file = Path.Combine(Path.GetTempPath(), $"Pulumi.web-identity-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, text.Replace("aws:region: us-east-1", $"aws:region: us-east-1\n  aws:assumeRoleWithWebIdentity:\n    roleArn: ci\n    webIdentityToken: {Token}\n    duration: 30", StringComparison.Ordinal));
        try
        {
            var (exit, stdout, stderr) = await PlanAsync("--config-file", file);

            Assert.Equal(ExitCodes.InvalidInput, exit);
            Assert.Contains("aws:assumeRoleWithWebIdentity.roleArn = 'ci'", stderr, StringComparison.Ordinal);
            Assert.Contains("aws:assumeRoleWithWebIdentity.duration = '30'", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, stdout + stderr, StringComparison.Ordinal);

            // Valid, it plans, and the token is still nowhere in the plan.
            await File.WriteAllTextAsync(file, text.Replace("aws:region: us-east-1", $"aws:region: us-east-1\n  aws:assumeRoleWithWebIdentity:\n    roleArn: arn:aws:iam::123456789012:role/ci\n    webIdentityToken: {Token}\n    duration: 30m", StringComparison.Ordinal));
            var planned = await PlanAsync("--config-file", file, "--format", "json");
            Assert.Equal(ExitCodes.Success, planned.Exit);
            Assert.DoesNotContain(Token, planned.Stdout + planned.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task APlaintextSaltInTheStackFile_IsWarnedAbout_ASecureOneIsNot()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "Pulumi.dev.yaml"));
        var file = Path.Combine(Path.GetTempPath(), $"Pulumi.plaintext-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, text.Replace("config:\n", "config:\n  psoxy:pseudonymSalt: not-a-secret-at-all\n", StringComparison.Ordinal));
        try
        {
            var (exit, stdout, _) = await PlanAsync("--config-file", file);

            Assert.Equal(ExitCodes.Success, exit);
            Assert.Contains("warning: psoxy:pseudonymSalt is in plain text in the stack file", stdout, StringComparison.Ordinal);
            Assert.Contains("`pulumi config set --secret psoxy:pseudonymSalt`", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("not-a-secret-at-all", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        var (_, secure, _) = await PlanAsync("--stack", "dev");
        Assert.DoesNotContain("plain text", secure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'yaml'", "--format", "yaml")]
    [InlineData("'--stack'", "--stack")]
    [InlineData("'--bogus'", "--bogus")]
    public async Task BadArguments_Exit2NamingTheArgument(string named, params string[] args)
    {
        var (exit, _, stderr) = await PlanAsync(args);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
        Assert.Contains("--help", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecureValues_PlanAsSecretsAndAreNeverShown()
    {
        var file = Path.Combine(Path.GetTempPath(), $"Pulumi.secure-{Guid.NewGuid():N}.yaml");
        var dev = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "Pulumi.dev.yaml"));
        await File.WriteAllTextAsync(file, dev + """

              psoxy:pseudonymSalt:
                secure: AAABAKxSaltCiphertextThatCannotBeDecryptedOffline
            """);
        try
        {
            var (exit, stdout, stderr) = await PlanAsync("--config-file", file, "--format", "json");

            Assert.True(exit == ExitCodes.Success, stderr);
            Assert.DoesNotContain("AAABAKx", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(StackFile.SecretPlaceholder, stdout, StringComparison.Ordinal);
            // A given salt replaces the generated one.
            Assert.DoesNotContain("shared-secrets-pseudonym-salt", stdout, StringComparison.Ordinal);
            Assert.Contains("shared-secrets-encryption-key", stdout, StringComparison.Ordinal);
            // Both the given and the generated secret are stored, masked.
            var versions = JsonNode.Parse(stdout)!["steps"]!.AsArray().Select(s => s!["newState"])
                .Where(r => r!["type"]!.GetValue<string>() == "gcp:secretmanager/secretVersion:SecretVersion").ToList();
            Assert.Equal(2, versions.Count);
            Assert.All(versions, v => Assert.True(PlanValue.IsSecret(v!["inputs"]!["secretData"])));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
