using System.Text.Json;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Verification;

namespace Psoxy.Infra.Tests.Verification;

/// <summary><c>verify</c> end to end against loopback fake proxies that play each way a deployment fails, on both hosts.</summary>
public sealed class VerifyCommandTests
{
    private static readonly string[] Connectors = ["msft-entra-id", "msft-teams", "outlook-cal"];

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    public async Task HealthyConnectors_Pass_WithAHealthCheckAndTheVerificationCallEach(string hostName)
    {
        var host = Enum.Parse<HostPlatform>(hostName, ignoreCase: true);
        await using var proxy = FakeProxy.Start(host, new Dictionary<string, ProxyBehaviour>());

        var result = await VerifyRun.RunAsync(VerifyRun.Outputs(host, proxy, Connectors));

        Assert.Equal(0, result.Exit);
        Assert.Equal("", result.Stderr);
        Assert.All(Connectors, id => Assert.Contains(" pass ", result.LineOf(id), StringComparison.Ordinal));
        Assert.Contains("3 of 3 passed.", result.Stdout, StringComparison.Ordinal);
        var requests = proxy.Requests.ToList();
        Assert.Contains(("/outlook-cal/", true), requests);
        Assert.Contains(("/outlook-cal/v1.0/users?$top=1", false), requests);
        Assert.Contains(("/msft-teams/v1.0/teams?$top=1", false), requests);
        Assert.Contains(($"/outlook-cal/v1.0/users/{FakeProxy.UserId}/events?$top=1", false), requests);
        Assert.Equal(Connectors.Sum(id => 1 + ConnectorCatalog.Find(id)!.DataCalls.Count), requests.Count);
    }

    public static TheoryData<string> AllConnectorIds() => new(ConnectorCatalog.All.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(AllConnectorIds))]
    public async Task EveryConnector_ExercisesEachPermissionFamily_FollowingTheUserIdTheProxyReturned(string connectorId)
    {
        foreach (var host in new[] { HostPlatform.Aws, HostPlatform.Gcp })
        {
            await using var proxy = FakeProxy.Start(host, new Dictionary<string, ProxyBehaviour>());

            var result = await VerifyRun.RunAsync(VerifyRun.Outputs(host, proxy, connectorId));

            Assert.Equal(0, result.Exit);
            var spec = ConnectorCatalog.Find(connectorId)!;
            var callLines = result.Stdout.Split('\n').Where(l => l.StartsWith("    pass ", StringComparison.Ordinal)).ToList();
            Assert.Equal(spec.DataCalls.Count, callLines.Count);
            Assert.All(spec.DataCalls, call => Assert.Contains(callLines, l => l.Contains($"({call.Permission})", StringComparison.Ordinal)));
            var dataRequests = proxy.Requests.Where(r => !r.HealthCheck).Select(r => r.Target).ToList();
            // Every call that needs a user was made about the user the users page returned (the fake knows no other).
            Assert.Equal(spec.DataCalls.Count(c => c.Needs.Contains("user")), dataRequests.Count(t => t.Contains("/users/" + FakeProxy.UserId, StringComparison.Ordinal)));
            Assert.DoesNotContain(dataRequests, t => t.Contains('{', StringComparison.Ordinal) || t.Contains("%7B", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    public async Task OneMissingPermission_FailsOnlyItsCall_NamingThePermission(string hostName)
    {
        var host = Enum.Parse<HostPlatform>(hostName, ignoreCase: true);
        await using var proxy = FakeProxy.Start(host, new Dictionary<string, ProxyBehaviour> { ["outlook-cal"] = ProxyBehaviour.CalendarConsentMissing });

        var result = await VerifyRun.RunAsync(VerifyRun.Outputs(host, proxy, Connectors));

        Assert.Equal(1, result.Exit);
        Assert.Contains(" FAIL ", result.LineOf("outlook-cal"), StringComparison.Ordinal);
        Assert.Contains("(Calendars.Read) is missing", result.LineOf("outlook-cal"), StringComparison.Ordinal);
        var lines = result.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith($"    FAIL    /v1.0/users/{FakeProxy.UserId}/events?$top=1 (Calendars.Read): ", StringComparison.Ordinal)
            && l.Contains(VerifyRun.AdminConsentUrlOf("outlook-cal"), StringComparison.Ordinal));
        // The other permissions are still each checked, and pass.
        Assert.Contains(lines, l => l.StartsWith($"    pass    /v1.0/users/{FakeProxy.UserId}/mailboxSettings (MailboxSettings.Read)", StringComparison.Ordinal));
        Assert.Contains("2 of 3 passed.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallWithoutTheIdItNeeds_IsSkippedWithTheReason_NeverPassed()
    {
        await using var proxy = FakeProxy.Start(HostPlatform.Gcp, new Dictionary<string, ProxyBehaviour> { ["outlook-mail"] = ProxyBehaviour.NoUsers });

        var result = await VerifyRun.RunAsync(VerifyRun.Outputs(HostPlatform.Gcp, proxy, "outlook-mail"), "--format", "json");

        Assert.Equal(1, result.Exit);
        using var report = JsonDocument.Parse(result.Stdout);
        var entry = report.RootElement.GetProperty("connectors")[0];
        Assert.Equal("incomplete", entry.GetProperty("verdict").GetString());
        var calls = entry.GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal("pass", calls[0].GetProperty("outcome").GetString());
        var skipped = calls.Where(c => c.GetProperty("outcome").GetString() == "skipped").ToList();
        Assert.Equal(["Mail.ReadBasic.All", "MailboxSettings.Read"], skipped.Select(c => c.GetProperty("permission").GetString()));
        Assert.All(skipped, c => Assert.Equal("/v1.0/users?$top=1 answered with no user to use", c.GetProperty("skipReason").GetString()));
        Assert.DoesNotContain(proxy.Requests, r => r.Target.Contains("/users/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    public async Task TheTeamsAccessPolicy_IsDiagnosedFromTheOnlineMeetingsCall(string hostName)
    {
        var host = Enum.Parse<HostPlatform>(hostName, ignoreCase: true);
        await using var proxy = FakeProxy.Start(host, new Dictionary<string, ProxyBehaviour> { ["msft-teams"] = ProxyBehaviour.TeamsPolicyMissing });

        var result = await VerifyRun.RunAsync(VerifyRun.Outputs(host, proxy, "msft-teams"));

        Assert.Equal(1, result.Exit);
        Assert.Contains("no Teams application access policy names the application", result.LineOf("msft-teams"), StringComparison.Ordinal);
        var lines = result.Stdout.Split('\n');
        Assert.Single(lines, l => l.StartsWith("    FAIL    ", StringComparison.Ordinal) && l.Contains("/onlineMeetings?", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => l.StartsWith("    pass    ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnInstanceWithoutSaltHash_IsAWarning_AndItsOwnWarningsAreShown()
    {
        await using var proxy = FakeProxy.Start(HostPlatform.Aws, new Dictionary<string, ProxyBehaviour> { ["outlook-cal"] = ProxyBehaviour.OlderWithWarning });

        var text = await VerifyRun.RunAsync(VerifyRun.Outputs(HostPlatform.Aws, proxy, Connectors));
        var json = await VerifyRun.RunAsync(VerifyRun.Outputs(HostPlatform.Aws, proxy, Connectors), "--format", "json");

        Assert.Equal(0, text.Exit);
        Assert.Contains(" pass ", text.LineOf("outlook-cal"), StringComparison.Ordinal);
        var warnings = text.Stdout.Split('\n').Where(l => l.StartsWith("    warning ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, l => l.Contains(FakeProxy.OwnWarning, StringComparison.Ordinal));
        Assert.Contains(warnings, l => l.Contains("reports no saltSha256Hash", StringComparison.Ordinal));
        using var report = JsonDocument.Parse(json.Stdout);
        var entries = report.RootElement.GetProperty("connectors").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.Equal(2, entries["outlook-cal"].GetProperty("warnings").GetArrayLength());
        Assert.Equal(0, entries["msft-teams"].GetProperty("warnings").GetArrayLength());
    }

    // Hosts and behaviours travel as names: the test methods are public, the enums internal.
    public static TheoryData<string, string, string, string[], string[]> FailureKinds()
    {
        var data = new TheoryData<string, string, string, string[], string[]>();
        foreach (var host in new[] { HostPlatform.Aws, HostPlatform.Gcp })
        {
            var aws = host == HostPlatform.Aws;
            data.Add(host.ToString(), nameof(ProxyBehaviour.RefuseEveryone), "outlook-cal",
                aws ? ["AWS refused the signed request (HTTP 403)", VerifyRun.CallerUserArn] : ["HTTP 403", "tester@psoxy-test.iam.gserviceaccount.com", "roles/run.invoker"],
                aws ? ["--assume-caller-role", VerifyRun.CallerRoleArn, "psoxy:aws.callerAwsArns", "psoxy:aws.callerGcpServiceAccountIds"] : ["psoxy:gcp.testPrincipals", "psoxy:gcp.worklyticsServiceAccountEmails", "pulumi up"]);
            data.Add(host.ToString(), nameof(ProxyBehaviour.MissingConfig), "outlook-cal",
                ["health check", "lacks configuration: CLIENT_ID, PSOXY_SALT"],
                ["CLIENT_ID: an environment variable Psoxy.Infra sets", aws ? "SSM parameter" : "Secret Manager", "pulumi up"]);
            data.Add(host.ToString(), nameof(ProxyBehaviour.WrongSource), "outlook-cal",
                ["serves source 'msft-teams', not 'outlook-cal'"],
                ["another connector", "pulumi up"]);
            data.Add(host.ToString(), nameof(ProxyBehaviour.FederationMismatch), "outlook-cal",
                ["data calls", "AADSTS700213", "federated identity credential does not match"],
                aws ? ["https://cognito-identity.amazonaws.com", "Cognito identity pool id", "Cognito identity id", VerifyRun.ClientIdOf("outlook-cal"), "pulumi up"]
                    : ["https://accounts.google.com", "api://AzureADTokenExchange", $"unique id of the proxy's service account in project {VerifyRun.GcpProjectId}", "pulumi up"]);
            data.Add(host.ToString(), nameof(ProxyBehaviour.ConsentMissing), "msft-entra-id",
                ["Authorization_RequestDenied", "admin consent"],
                [VerifyRun.AdminConsentUrlOf("msft-entra-id"), "Privileged Role Administrator"]);
            data.Add(host.ToString(), nameof(ProxyBehaviour.TeamsPolicyMissing), "msft-teams",
                ["Teams application access policy"],
                ["a Teams Administrator", "Allow the application to read online meetings", VerifyRun.ClientIdOf("msft-teams")]);
            data.Add(host.ToString(), nameof(ProxyBehaviour.PlainEmails), "outlook-cal",
                ["1 e-mail address(es) that are not pseudonymized"],
                ["do not connect Worklytics yet"]);
            data.Add(host.ToString(), nameof(ProxyBehaviour.SaltMismatch), "outlook-cal",
                [$"saltSha256Hash {Psoxy.Infra.Hosts.PsoxySaltHash.Compute("another-salt")}", $"the stack's is {Psoxy.Infra.Hosts.PsoxySaltHash.Compute(FakeProxy.Salt)}", "pseudonyms differ"],
                ["do not connect Worklytics", "psoxy:pseudonymSalt"]);
            data.Add(host.ToString(), nameof(ProxyBehaviour.Slow), "outlook-cal",
                ["no answer within 1 s"],
                ["--timeout"]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FailureKinds))]
    public async Task EachFailureKind_FailsThatConnectorOnly_NamingCauseAndNextStep(
        string hostName, string behaviourName, string failing, string[] cause, string[] nextStep)
    {
        var host = Enum.Parse<HostPlatform>(hostName, ignoreCase: true);
        var behaviour = Enum.Parse<ProxyBehaviour>(behaviourName);
        await using var proxy = FakeProxy.Start(host, new Dictionary<string, ProxyBehaviour> { [failing] = behaviour });

        var result = await VerifyRun.RunAsync(VerifyRun.Outputs(host, proxy, Connectors), "--timeout", "1");

        Assert.Equal(1, result.Exit);
        var line = result.LineOf(failing);
        Assert.Contains(" FAIL ", line, StringComparison.Ordinal);
        var (causePart, nextPart) = (line[..line.IndexOf(" Next: ", StringComparison.Ordinal)], line[line.IndexOf(" Next: ", StringComparison.Ordinal)..]);
        Assert.All(cause, fragment => Assert.Contains(fragment, causePart, StringComparison.Ordinal));
        Assert.All(nextStep, fragment => Assert.Contains(fragment, nextPart, StringComparison.Ordinal));
        Assert.All(Connectors.Where(id => id != failing), id => Assert.Contains(" pass ", result.LineOf(id), StringComparison.Ordinal));
        Assert.DoesNotContain(FakeProxy.PlainAddress, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeProxy.GoodToken, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FederationMismatch_NamesTheExactIssuerAudienceAndSubject_FromTheOutputs()
    {
        await using var proxy = FakeProxy.Start(HostPlatform.Gcp, new Dictionary<string, ProxyBehaviour> { ["outlook-cal"] = ProxyBehaviour.FederationMismatch });
        var outputs = System.Text.Json.Nodes.JsonNode.Parse(VerifyRun.Outputs(HostPlatform.Gcp, proxy, "outlook-cal"))!;
        outputs["connectors"]!["outlook-cal"]!["federatedCredential"] = new System.Text.Json.Nodes.JsonObject
        {
            ["issuer"] = "https://accounts.google.com",
            ["audience"] = "api://AzureADTokenExchange",
            ["subject"] = "104217300958632195847",
        };

        var result = await VerifyRun.RunAsync(outputs.ToJsonString());

        Assert.Equal(1, result.Exit);
        Assert.Contains("issuer https://accounts.google.com, audience api://AzureADTokenExchange, subject 104217300958632195847", result.LineOf("outlook-cal"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_AssumeCallerRole_SignsWithTheRolesCredentials_AndNamesTheRoleWhenRefused()
    {
        await using var healthy = FakeProxy.Start(HostPlatform.Aws, new Dictionary<string, ProxyBehaviour>());
        Assert.Equal(0, (await VerifyRun.RunAsync(VerifyRun.Outputs(HostPlatform.Aws, healthy, "outlook-cal"), "--assume-caller-role")).Exit);

        await using var refusing = FakeProxy.Start(HostPlatform.Aws, new Dictionary<string, ProxyBehaviour> { ["outlook-cal"] = ProxyBehaviour.RefuseEveryone });
        var result = await VerifyRun.RunAsync(VerifyRun.Outputs(HostPlatform.Aws, refusing, "outlook-cal"), "--assume-caller-role");

        Assert.Equal(1, result.Exit);
        var line = result.LineOf("outlook-cal");
        Assert.Contains($"{VerifyRun.CallerRoleArn} may not invoke", line, StringComparison.Ordinal);
        Assert.Contains("Next: the caller role should be allowed to invoke every proxy", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gcp_IdentityToken_IsSent_AndTheCallerItNamesIsReportedWhenRefused()
    {
        await using var proxy = FakeProxy.Start(HostPlatform.Gcp, new Dictionary<string, ProxyBehaviour>());
        var outputs = VerifyRun.Outputs(HostPlatform.Gcp, proxy, "outlook-cal");

        Assert.Equal(0, (await VerifyRun.RunAsync(outputs, "--identity-token", FakeProxy.GoodToken)).Exit);
        var result = await VerifyRun.RunAsync(outputs, "--identity-token", FakeProxy.Jwt("someone@contoso.example"));

        Assert.Equal(1, result.Exit);
        Assert.Contains("someone@contoso.example is not in the roles/run.invoker binding", result.LineOf("outlook-cal"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connector_ChecksOnlyTheNamedOnes()
    {
        await using var proxy = FakeProxy.Start(HostPlatform.Gcp, new Dictionary<string, ProxyBehaviour> { ["msft-teams"] = ProxyBehaviour.RefuseEveryone });

        var result = await VerifyRun.RunAsync(VerifyRun.Outputs(HostPlatform.Gcp, proxy, Connectors), "--connector", "outlook-cal", "--connector", "msft-entra-id");

        Assert.Equal(0, result.Exit);
        Assert.Contains("2 of 2 passed.", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("msft-teams", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(proxy.Requests, r => r.Target.StartsWith("/msft-teams/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonFormat_IsOneEntryPerConnector_WithVerdictCauseAndNextStep()
    {
        await using var proxy = FakeProxy.Start(HostPlatform.Aws, new Dictionary<string, ProxyBehaviour> { ["msft-entra-id"] = ProxyBehaviour.ConsentMissing });

        var result = await VerifyRun.RunAsync(VerifyRun.Outputs(HostPlatform.Aws, proxy, Connectors), "--format", "json");

        Assert.Equal(1, result.Exit);
        using var report = JsonDocument.Parse(result.Stdout);
        Assert.Equal("AWS", report.RootElement.GetProperty("host").GetString());
        Assert.False(report.RootElement.GetProperty("passed").GetBoolean());
        var entries = report.RootElement.GetProperty("connectors").EnumerateArray().ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.Equal(Connectors, entries.Keys.Order(StringComparer.Ordinal));
        var failed = entries["msft-entra-id"];
        Assert.Equal("fail", failed.GetProperty("verdict").GetString());
        Assert.Equal("data calls", failed.GetProperty("check").GetString());
        Assert.Contains("Authorization_RequestDenied", failed.GetProperty("cause").GetString(), StringComparison.Ordinal);
        Assert.Contains(VerifyRun.AdminConsentUrlOf("msft-entra-id"), failed.GetProperty("nextStep").GetString(), StringComparison.Ordinal);
        var passed = entries["outlook-cal"];
        Assert.Equal("pass", passed.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, passed.GetProperty("cause").ValueKind);
        Assert.Equal(proxy.EndpointOf("outlook-cal").AbsoluteUri, passed.GetProperty("endpointUrl").GetString());
    }

    [Fact]
    public async Task Outputs_AreReadFromAFile_OrFromTheStack()
    {
        await using var proxy = FakeProxy.Start(HostPlatform.Gcp, new Dictionary<string, ProxyBehaviour>());
        var outputs = VerifyRun.Outputs(HostPlatform.Gcp, proxy, "outlook-cal");
        var file = Path.Combine(Path.GetTempPath(), $"psoxy-outputs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, outputs);
        try
        {
            Assert.Equal(0, (await VerifyRun.RunAsync(outputs, "--outputs", file)).Exit);
            Assert.Equal(0, (await VerifyRun.RunAsync(outputs, "--stack", "dev")).Exit);
            Assert.Equal(0, (await VerifyRun.RunAsync(outputs, "-s", "dev")).Exit);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static TheoryData<string, string[], string> BadInputs() => new()
    {
        { "{}", ["--outputs", "/no/such/file.json"], "cannot read the outputs file '/no/such/file.json'" },
        { "{}", ["--outputs", "/"], "--outputs '/' is a directory" },
        { """{"awsRegion":"us-east-1","connectors":"[secret]"}""", [], "the stack outputs show connectors as [secret]: they were taken without --show-secrets" },
        { "not json", [], "not JSON" },
        { "[]", [], "must be a JSON object" },
        { """{"connectors":{}}""", [], "exactly one of awsRegion and gcpProjectId" },
        { """{"awsRegion":"us-east-1"}""", [], "no 'connectors' object" },
        { """{"awsRegion":"us-east-1","connectors":{}}""", [], "list no connectors" },
        { """{"awsRegion":"us-east-1","connectors":{"jira":{"clientId":"c","endpointUrl":"https://x.example/"}}}""", [], "connector 'jira' in the stack outputs is not one" },
        { """{"awsRegion":"us-east-1","connectors":{"outlook-cal":{"clientId":"c"}}}""", [], "connectors.outlook-cal has no 'endpointUrl'" },
        { """{"awsRegion":"us-east-1","connectors":{"outlook-cal":{"clientId":"c","endpointUrl":"http://proxy.example/"}}}""", [], "plain http" },
        { """{"awsRegion":"us-east-1","connectors":{"outlook-cal":{"clientId":"c","endpointUrl":"https://x.example/"}}}""", ["--connector", "outlook-mail"], "no connector 'outlook-mail' in this deployment; valid: outlook-cal." },
        { """{"awsRegion":"us-east-1","connectors":{"outlook-cal":{"clientId":"c","endpointUrl":"https://x.example/"}}}""", ["--identity-token", "t"], "--identity-token is for GCP deployments" },
        { """{"awsRegion":"us-east-1","connectors":{"outlook-cal":{"clientId":"c","endpointUrl":"https://x.example/"}}}""", ["--assume-caller-role"], "no callerRoleArn" },
        { """{"gcpProjectId":"p","connectors":{"outlook-cal":{"clientId":"c","endpointUrl":"https://x.example/"}}}""", ["--assume-caller-role"], "--assume-caller-role is for AWS deployments" },
        { "{}", ["--timeout", "0"], "--timeout must be a whole number of seconds" },
        { "{}", ["--timeout", "soon"], "--timeout must be a whole number of seconds" },
        { "{}", ["--format", "yaml"], "--format must be text or json" },
        { "{}", ["--connector"], "'--connector'" },
        { "{}", ["--verbose"], "'--verbose'" },
        { "{}", ["--outputs", "-", "--stack", "dev"], "exactly one of --outputs FILE and --stack NAME" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_Exits2_SayingWhatIsWrong(string outputs, string[] args, string message)
    {
        var result = await VerifyRun.RunAsync(outputs, args);

        Assert.Equal(2, result.Exit);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task NoOutputsAtAll_Exits2()
    {
        Assert.Equal(2, (await VerifyRun.RunAsync(null)).Exit);
        var missingCli = await VerifyRun.RunAsync(null, "--stack", "dev");
        Assert.Equal(2, missingCli.Exit);
        Assert.Contains("pulumi CLI is not on PATH", missingCli.Stderr, StringComparison.Ordinal);
    }
}
