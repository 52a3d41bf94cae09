using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>
/// The security invariants hold for every stack file of the repository and for generated stacks that enable every
/// connector on each host with each auth mode; and each invariant catches its own deliberate breakage.
/// </summary>
public sealed class SecurityInvariantTests
{
    public static TheoryData<string> StackFiles => [.. Repository.StackFiles];

    public static TheoryData<string, string, bool> GeneratedStacks
    {
        get
        {
            var data = new TheoryData<string, string, bool>();
            foreach (var host in new[] { "aws", "gcp" })
            {
                foreach (var auth in new[] { "federated", "certificate" })
                {
                    data.Add(host, auth, true);
                }

                data.Add(host, "federated", false);
            }

            return data;
        }
    }

    internal const string MailRules = "Psoxy.Infra.Tests/Configuration/CustomRules/outlook-mail.yaml";
    internal const string TeamsRules = "Psoxy.Infra.Tests/Configuration/CustomRules/msft-teams.yaml";

    internal static Dictionary<string, object> AllConnectors(string host, string auth, bool protect)
    {
        var connectors = Psoxy.Infra.Catalog.ConnectorCatalog.All.Select(c => c.Id).ToArray();
        var config = host == "aws" ? StackRun.AwsConfig(connectors) : StackRun.GcpConfig(connectors);
        // Realistic callers: the analytics service and a tester.
        if (host == "aws")
        {
            var aws = (Dictionary<string, object>)config["psoxy:aws"];
            aws["callerGcpServiceAccountIds"] = new[] { "123456789012345678901" };
            aws["callerAwsArns"] = new[] { "arn:aws:iam::123456789012:role/tester" };
        }
        else
        {
            var gcp = (Dictionary<string, object>)config["psoxy:gcp"];
            gcp["worklyticsServiceAccountEmails"] = new[] { "tenant@worklytics-example.iam.gserviceaccount.com" };
            gcp["testPrincipals"] = new[] { "user:tester@contoso.example" };
        }

        // Custom rules for two connectors (each its own file), none for the others.
        config["psoxy:customRules"] = new Dictionary<string, string> { ["outlook-mail"] = MailRules, ["msft-teams"] = TeamsRules };
        config["psoxy:auth"] = auth;
        config["psoxy:protectApplications"] = protect ? "true" : "false";
        config["psoxy:grantAdminConsent"] = "true";
        return config;
    }

    private static void AssertHolds(ObservedStack stack, string label)
    {
        var violations = SecurityInvariants.Violations(stack).ToList();
        Assert.True(violations.Count == 0, $"{label}:\n{string.Join('\n', violations)}");
        Assert.NotEmpty(stack.Resources);
    }

    [Theory]
    [MemberData(nameof(StackFiles))]
    public async Task HoldForEveryStackFile(string stackFile) => await AssertHoldForStackFileAsync(stackFile);

    /// <summary>The invariants over a stack file (relative to the repository, or absolute), under fakes of its own clouds.</summary>
    internal static async Task AssertHoldForStackFileAsync(string stackFile)
    {
        var file = StackFile.Load(Path.Combine(Repository.Root, stackFile), "psoxy");
        var config = file.Values.ToDictionary(kv => kv.Key, kv => (object)kv.Value);

        var stack = await SafetyRun.ObserveAsync(config, file.SecretKeys);

        AssertHolds(stack, stackFile);
    }

    [Theory]
    [MemberData(nameof(GeneratedStacks))]
    public async Task HoldForEveryConnectorOnEachHostAndAuthMode(string host, string auth, bool protect)
    {
        var stack = await SafetyRun.ObserveAsync(AllConnectors(host, auth, protect));

        AssertHolds(stack, $"{host}/{auth}/protect={protect}");
    }

    /// <summary>A deliberate breakage, applied to the resources as they are declared, and the invariant that must catch it.</summary>
    public static TheoryData<string, string> Breakages => new()
    {
        { "gcp", "write-permission" },
        { "gcp", "second-api" },
        { "gcp", "delegated-permission" },
        { "gcp", "wildcard-subject" },
        { "gcp", "unprotected-application" },
        { "gcp", "public-invoker" },
        { "gcp", "plain-secret" },
        { "aws", "public-function-url" },
        { "aws", "wildcard-action" },
        { "aws", "wildcard-resource" },
        { "aws", "open-trust" },
        { "aws", "plain-parameter" },
        { "aws", "other-connectors-pool" },
        { "aws", "any-identity-pool" },
        { "aws", "other-connectors-rules" },
        { "gcp", "rules-on-another-function" },
        { "gcp", "rules-dropped" },
        { "gcp", "act-as-for-another-member" },
        { "gcp", "act-as-on-a-foreign-account" },
        { "gcp", "act-as-project-wide" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public async Task EachInvariant_FailsWhenDeliberatelyBroken(string host, string breakage)
    {
        var stack = await SafetyRun.ObserveAsync(AllConnectors(host, "federated", protect: true), breaker: Breakers.For(breakage));

        var violations = SecurityInvariants.Violations(stack).ToList();

        Assert.Contains(violations, v => v.StartsWith($"[{Breakers.Invariant(breakage)}]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("azuread:index/applicationPassword:ApplicationPassword", "clientSecretName")]
    [InlineData("gcp:serviceaccount/key:Key", "publicKeyType")]
    [InlineData("aws:iam/user:User", "password")]
    public async Task NoCredentials_FailsForACredentialResourceOrPasswordInput(string type, string input)
    {
        var stack = await SafetyRun.ObserveAsync(AllConnectors("gcp", "federated", protect: true));
        var broken = stack.With(new ObservedResource("urn:pulumi:test::psoxy::" + type + "::leak", type, "leak", true, false,
            System.Collections.Immutable.ImmutableDictionary<string, object>.Empty.Add(input, "x"), new HashSet<string>()));

        Assert.Empty(SecurityInvariants.NoCredentials(stack));
        Assert.NotEmpty(SecurityInvariants.NoCredentials(broken));
    }

    [Fact]
    public void PolicyCheck_RejectsWildcardsAndOpenTrust()
    {
        Assert.NotEmpty(SecurityInvariants.PolicyViolations("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b"}]}""", trust: false));
        Assert.NotEmpty(SecurityInvariants.PolicyViolations("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""", trust: false));
        Assert.NotEmpty(SecurityInvariants.PolicyViolations("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"}}]}""", trust: true));
        Assert.NotEmpty(SecurityInvariants.PolicyViolations("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoleWithWebIdentity","Principal":{"Federated":"accounts.google.com"}}]}""", trust: true));
        Assert.Empty(SecurityInvariants.PolicyViolations("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter"],"Resource":["arn:aws:ssm:us-east-1:123456789012:parameter/psoxy/dev/OUTLOOK_CAL_*"]}]}""", trust: false));
    }
}
