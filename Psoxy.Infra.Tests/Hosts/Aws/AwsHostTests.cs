using System.Collections.Immutable;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Hosts.Aws;
using Psoxy.Infra.Tests.Testing;
using Pulumi;
using static Psoxy.Infra.Tests.Hosts.Aws.AwsTestRun;
using static Psoxy.Infra.Tests.Hosts.Aws.CognitoDeveloperIdentityClientTests;

namespace Psoxy.Infra.Tests.Hosts.Aws;

/// <summary>The AWS host: one Lambda per connector and what they share, under mocks.</summary>
public sealed class AwsHostTests
{
    private const string Account = StackRun.AwsAccountId;
    private const string KmsKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string GcpCaller1 = "101234567890123456789";
    private const string GcpCaller2 = "109876543210987654321";
    private const string Tester = "arn:aws:iam::123456789012:role/psoxy-tester";

    private static readonly string[] AllConnectors = ConnectorCatalog.All.Select(c => c.Id).ToArray();

    [Fact]
    public async Task Function_HasTheExactPsoxyEnvironment()
    {
        var run = await RunAsync(Config("outlook-cal"));

        var function = run.Inputs(FunctionType, "outlook-cal-function");
        var expected = new Dictionary<string, string>
        {
            ["SOURCE"] = "outlook-cal",
            ["TARGET_HOST"] = "graph.microsoft.com",
            ["SOURCE_AUTH_STRATEGY_IDENTIFIER"] = "oauth2_refresh_token",
            ["OAUTH_SCOPES"] = "",
            ["GRANT_TYPE"] = "workload_identity_federation",
            ["TOKEN_SCOPE"] = "https://graph.microsoft.com/.default",
            ["REFRESH_ENDPOINT"] = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token",
            ["CLIENT_ID"] = FakeCloud.ClientIdOf("outlook-cal"),
            ["IDENTITY_POOL_ID"] = FakeCloud.PoolIdOfConnector("outlook-cal"),
            ["IDENTITY_ID"] = IdentityIdOf("outlook-cal"),
            ["DEVELOPER_NAME_ID"] = "test-azure-access",
            ["PSEUDONYMIZE_APP_IDS"] = "true",
            ["EMAIL_CANONICALIZATION"] = "IGNORE_DOTS",
            ["IS_DEVELOPMENT_MODE"] = "false",
            ["REQUEST_TIMEOUT_SECONDS"] = "180",
            ["BUNDLE_FILENAME"] = "psoxy-aws-0.6.9.jar",
            ["SECRETS_STORE"] = "AWS_SSM_PARAMETER_STORE",
            ["PATH_TO_SHARED_CONFIG"] = "/psoxy/test/",
            ["PATH_TO_INSTANCE_CONFIG"] = "/psoxy/test/OUTLOOK_CAL_",
        };
        Assert.Equal(expected.OrderBy(kv => kv.Key), EnvironmentOf(function).OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task Function_RunsTheReleasedBundle_OnArm_WithTheConfiguredSizing()
    {
        var config = Config("outlook-cal").WithAws(("memorySize", 1024), ("timeoutSeconds", 300), ("runtime", "java21"));
        var run = await RunAsync(config);

        var function = run.Inputs(FunctionType, "outlook-cal-function");
        Assert.Equal("test-outlook-cal", function["name"]);
        Assert.Equal("co.worklytics.psoxy.AwsApiGatewayV2ApiDataRequestHandler", function["handler"]);
        Assert.Equal("java21", function["runtime"]);
        Assert.Equal(["arm64"], Strings(function["architectures"]));
        Assert.Equal(1024, Convert.ToInt32(function["memorySize"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(300, Convert.ToInt32(function["timeout"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("psoxy-public-artifacts-us-east-1", function["s3Bucket"]);
        Assert.Equal("psoxy-aws-0.6.9.jar", function["s3Key"]);
        Assert.Equal($"arn:aws:iam::{Account}:role/test-outlook-cal_Exec", function["role"]);
        Assert.Equal("300", EnvironmentOf(function)["REQUEST_TIMEOUT_SECONDS"]);
        // Nothing set that the configuration did not ask for.
        Assert.False(function.ContainsKey("kmsKeyArn"));
        Assert.False(function.ContainsKey("region"));
        Assert.False(function.ContainsKey("sourceCodeHash"));
        Assert.Empty(run.OfType(BucketType));
        Assert.Empty(run.OfType(ObjectType));
    }

    [Fact]
    public async Task EveryConnector_GetsItsOwnFunction_Role_LogGroup_Url_AndFederatedCredential()
    {
        var run = await RunAsync(Config(AllConnectors));

        Assert.Equal(6, AllConnectors.Length);
        Assert.Equal(6, run.OfType(FunctionType).Count());
        foreach (var connector in ConnectorCatalog.All)
        {
            var id = connector.Id;
            var function = run.Inputs(FunctionType, $"{id}-function");
            var variables = EnvironmentOf(function);
            Assert.Equal($"test-{id}", function["name"]);
            Assert.Equal(connector.SourceKind, variables["SOURCE"]);
            Assert.Equal(FakeCloud.ClientIdOf(id), variables["CLIENT_ID"]);
            Assert.Equal(IdentityIdOf(id), variables["IDENTITY_ID"]);
            Assert.Equal("/psoxy/test/" + id.ToUpperInvariant().Replace('-', '_') + "_", variables["PATH_TO_INSTANCE_CONFIG"]);
            Assert.Equal($"test-{id}_Exec", run.Inputs(RoleType, $"{id}-execution-role")["name"]);
            Assert.Equal($"/aws/lambda/test-{id}", run.Inputs(LogGroupType, $"{id}-log-group")["name"]);
            Assert.Equal($"test-{id}", run.Inputs(FunctionUrlType, $"{id}-function-url")["functionName"]);

            var credential = run.Inputs(CredentialType, $"{id}-federated-credential");
            Assert.Equal("https://cognito-identity.amazonaws.com", credential["issuer"]);
            Assert.Equal([FakeCloud.PoolIdOfConnector(id)], Strings(credential["audiences"]));
            Assert.Equal(FakeCloud.PoolIdOfConnector(id), variables["IDENTITY_POOL_ID"]);
            Assert.Equal(IdentityIdOf(id), credential["subject"]);
        }

        // Every instance has its own identity.
        Assert.Equal(6, AllConnectors.Select(IdentityIdOf).Distinct().Count());
        var connectors = await run.Stack.Connectors.ValueAsync();
        Assert.Equal(AllConnectors.Order(), connectors.Keys.Order());
    }

    [Fact]
    public async Task ExecutionRole_TrustsOnlyLambda_AndItsOnePolicyIsLeastPrivilege()
    {
        var run = await RunAsync(Config("outlook-cal", "msft-teams"));

        var role = run.Inputs(RoleType, "outlook-cal-execution-role");
        var trust = Assert.Single(PolicyStatement.Parse((string)role["assumeRolePolicy"]));
        Assert.Equal("Allow", trust.Effect);
        Assert.Equal(["sts:AssumeRole"], trust.Actions);
        Assert.Equal(new Dictionary<string, string> { ["Service"] = "lambda.amazonaws.com" }, trust.Principal);
        Assert.Empty(trust.Condition);

        var attachment = run.Inputs(AttachmentType, "outlook-cal-basic-execution");
        Assert.Equal("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", attachment["policyArn"]);
        Assert.Equal("test-outlook-cal_Exec", attachment["role"]);

        // One inline policy per execution role, none elsewhere.
        var policies = run.OfType(RolePolicyType).Where(p => (string)p.Inputs["role"] == "test-outlook-cal_Exec").ToList();
        var policy = Assert.Single(policies).Inputs;
        Assert.Equal("test-outlook-cal_resourceAccess", policy["name"]);
        var statements = PolicyStatement.Parse((string)policy["policy"]);
        Assert.Equal(["ReadSharedSSMParameters", "ReadInstanceSSMParameters", "CognitoDeveloperIdentity"], statements.Select(s => s.Sid));
        Assert.All(statements, s => Assert.Equal("Allow", s.Effect));
        Assert.All(statements, s => Assert.Empty(s.Principal));
        Assert.All(statements, s => Assert.Empty(s.Condition));

        Assert.Equal(["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"], statements[0].Actions);
        Assert.Equal(
            [$"arn:aws:ssm:us-east-1:{Account}:parameter/psoxy/test/PSOXY_SALT", $"arn:aws:ssm:us-east-1:{Account}:parameter/psoxy/test/PSOXY_ENCRYPTION_KEY"],
            statements[0].Resources);

        Assert.Equal(
            ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory", "ssm:GetParametersByPath", "ssm:PutParameter", "ssm:DeleteParameter"],
            statements[1].Actions);
        Assert.Equal([$"arn:aws:ssm:us-east-1:{Account}:parameter/psoxy/test/OUTLOOK_CAL_*"], statements[1].Resources);

        Assert.Equal(["cognito-identity:GetOpenIdTokenForDeveloperIdentity"], statements[2].Actions);
        // Its own pool only: no other connector's identity can be minted with this role.
        Assert.Equal([FakeCloud.PoolArnOfConnector("outlook-cal")], statements[2].Resources);

        // The other instance's prefix is its own.
        var teams = PolicyStatement.Parse((string)run.Inputs(RolePolicyType, "msft-teams-resource-access")["policy"]);
        Assert.Equal([$"arn:aws:ssm:us-east-1:{Account}:parameter/psoxy/test/MSFT_TEAMS_*"], teams[1].Resources);
        Assert.Equal([FakeCloud.PoolArnOfConnector("msft-teams")], teams[2].Resources);
    }

    [Fact]
    public async Task EmptySsmPrefix_PutsTheSharedParametersAtTheRoot_AsPsoxysTerraform_AndThePolicyStillNamesExactArns()
    {
        var run = await RunAsync(Config("outlook-cal").WithAws(("ssmParameterPrefix", "")));

        Assert.Equal(["PSOXY_SALT", "PSOXY_ENCRYPTION_KEY"],
            run.OfType(ParameterType).Select(p => (string)p.Inputs["name"]).Order(StringComparer.Ordinal).Reverse());
        var variables = EnvironmentOf(run.Inputs(FunctionType, "outlook-cal-function"));
        // Psoxy reads the root when PATH_TO_SHARED_CONFIG is unset, as its Terraform leaves it.
        Assert.False(variables.ContainsKey("PATH_TO_SHARED_CONFIG"));
        Assert.Equal("OUTLOOK_CAL_", variables["PATH_TO_INSTANCE_CONFIG"]);

        var statements = PolicyStatement.Parse((string)run.Inputs(RolePolicyType, "outlook-cal-resource-access")["policy"]);
        Assert.Equal(
            [$"arn:aws:ssm:us-east-1:{Account}:parameter/PSOXY_SALT", $"arn:aws:ssm:us-east-1:{Account}:parameter/PSOXY_ENCRYPTION_KEY"],
            statements[0].Resources);
        Assert.DoesNotContain(statements[0].Resources, r => r.Contains('*', StringComparison.Ordinal));
        Assert.Equal([$"arn:aws:ssm:us-east-1:{Account}:parameter/OUTLOOK_CAL_*"], statements[1].Resources);
    }

    [Fact]
    public async Task CallerRole_TrustsExactlyTheConfiguredCallers_AndMayInvokeOnlyTheseFunctions()
    {
        var config = Config("outlook-cal", "msft-teams")
            .WithAws(("callerGcpServiceAccountIds", new[] { GcpCaller1, GcpCaller2 }), ("callerAwsArns", new[] { Tester }));
        var run = await RunAsync(config);

        var role = run.Inputs(RoleType, "aws-caller-role");
        Assert.Equal("testCaller", role["name"]);
        var trust = PolicyStatement.Parse((string)role["assumeRolePolicy"]);
        Assert.Equal(3, trust.Count);
        foreach (var (statement, id) in trust.Take(2).Zip([GcpCaller1, GcpCaller2]))
        {
            Assert.Equal("Allow", statement.Effect);
            Assert.Equal(["sts:AssumeRoleWithWebIdentity"], statement.Actions);
            Assert.Equal(new Dictionary<string, string> { ["Federated"] = "accounts.google.com" }, statement.Principal);
            var condition = Assert.Single(statement.Condition);
            Assert.Equal("StringEquals", condition.Key);
            Assert.Equal(new Dictionary<string, string> { ["accounts.google.com:aud"] = id }, condition.Value);
        }

        Assert.Equal("Allow", trust[2].Effect);
        Assert.Equal(["sts:AssumeRole"], trust[2].Actions);
        Assert.Equal(new Dictionary<string, string> { ["AWS"] = Tester }, trust[2].Principal);
        Assert.Empty(trust[2].Condition);
        Assert.DoesNotContain(trust, s => s.Principal.ContainsKey("Service"));

        var access = run.Inputs(RolePolicyType, "aws-caller-access");
        Assert.Equal("testCaller", access["role"]);
        Assert.Equal("testCallerAccess", access["name"]);
        var invoke = Assert.Single(PolicyStatement.Parse((string)access["policy"]));
        Assert.Equal("Allow", invoke.Effect);
        Assert.Equal(["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], invoke.Actions);
        Assert.Equal(
            [$"arn:aws:lambda:us-east-1:{Account}:function:test-outlook-cal", $"arn:aws:lambda:us-east-1:{Account}:function:test-msft-teams"],
            invoke.Resources);
        // The ARNs granted are those of the functions deployed.
        var deployed = await Task.WhenAll(run.Resources.OfType<Pulumi.Aws.Lambda.Function>().Select(f => f.Arn.ValueAsync()));
        Assert.Equal(invoke.Resources.Order(), deployed.Order());
    }

    [Fact]
    public async Task AllowedDataAccessIpBlocks_ReachEveryFunction_AndConditionEveryCallerTrustStatement()
    {
        // Psoxy's aws module: ForAnyValue:IpAddress aws:SourceIp on the caller role; aws-proxy-api: the blocks comma-joined.
        var config = Config(AllConnectors)
            .WithAws(("callerGcpServiceAccountIds", new[] { GcpCaller1 }), ("callerAwsArns", new[] { Tester }));
        config["psoxy:allowedDataAccessIpBlocks"] = new[] { "203.0.113.0/24", "198.51.100.7" };
        var run = await RunAsync(config);

        foreach (var connector in AllConnectors)
        {
            Assert.Equal("203.0.113.0/24,198.51.100.7", EnvironmentOf(run.Inputs(FunctionType, $"{connector}-function"))["ALLOWED_DATA_ACCESS_IP_BLOCKS"]);
        }

        var trust = PolicyStatement.Parse((string)run.Inputs(RoleType, "aws-caller-role")["assumeRolePolicy"]);
        Assert.Equal(2, trust.Count);
        Assert.All(trust, s => Assert.Equal(
            new Dictionary<string, string> { ["aws:SourceIp"] = "203.0.113.0/24,198.51.100.7" },
            s.Condition["ForAnyValue:IpAddress"]));
        // The Google audience condition is kept beside it.
        Assert.Equal(new Dictionary<string, string> { ["accounts.google.com:aud"] = GcpCaller1 }, trust[0].Condition["StringEquals"]);
        Assert.Single(trust[1].Condition);
    }

    [Fact]
    public async Task WithoutIpBlocks_NoFunctionIsRestricted()
    {
        var run = await RunAsync(Config(AllConnectors));

        Assert.All(AllConnectors, c => Assert.False(EnvironmentOf(run.Inputs(FunctionType, $"{c}-function")).ContainsKey("ALLOWED_DATA_ACCESS_IP_BLOCKS")));
    }

    [Fact]
    public async Task EnvironmentVariables_ReachEveryFunction()
    {
        var config = Config(AllConnectors);
        config["psoxy:environmentVariables"] = new Dictionary<string, object> { ["LOG_LEVEL"] = "DEBUG", ["RETRY_COUNT"] = 3 };
        var run = await RunAsync(config);

        foreach (var connector in AllConnectors)
        {
            var variables = EnvironmentOf(run.Inputs(FunctionType, $"{connector}-function"));
            Assert.Equal("DEBUG", variables["LOG_LEVEL"]);
            Assert.Equal("3", variables["RETRY_COUNT"]);
            Assert.Equal(ConnectorCatalog.Find(connector)!.SourceKind, variables["SOURCE"]);
        }
    }

    [Fact]
    public async Task EveryVariableTheFunctionsSet_IsAManagedName_SoNoExtraVariableCanCollide()
    {
        var run = await RunAsync(Config(AllConnectors).WithAws(("kmsKeyArn", KmsKey)));

        foreach (var connector in AllConnectors)
        {
            Assert.All(EnvironmentOf(run.Inputs(FunctionType, $"{connector}-function")).Keys,
                name => Assert.Contains(name, Psoxy.Infra.Configuration.ProxyOptions.ManagedVariableNames));
        }
    }

    [Fact]
    public async Task CallerRole_WithoutCallers_TrustsOnlyTheAccountItself()
    {
        var run = await RunAsync(Config("outlook-cal"));

        var trust = Assert.Single(PolicyStatement.Parse((string)run.Inputs(RoleType, "aws-caller-role")["assumeRolePolicy"]));
        Assert.Equal(["sts:AssumeRole"], trust.Actions);
        Assert.Equal(new Dictionary<string, string> { ["AWS"] = $"arn:aws:iam::{Account}:root" }, trust.Principal);
        Assert.Empty(trust.Condition);
    }

    [Fact]
    public async Task SharedSecrets_AreSecureStringParameters_HoldingTheSharedSecretsAsSecrets()
    {
        var run = await RunAsync(Config("outlook-cal"));

        var salt = run.Inputs(ParameterType, "aws-pseudonym-salt");
        Assert.Equal("/psoxy/test/PSOXY_SALT", salt["name"]);
        Assert.Equal("SecureString", salt["type"]);
        Assert.Equal(Salt, salt["value"]);
        Assert.False(salt.ContainsKey("keyId"));
        var key = run.Inputs(ParameterType, "aws-encryption-key");
        Assert.Equal("/psoxy/test/PSOXY_ENCRYPTION_KEY", key["name"]);
        Assert.Equal("SecureString", key["type"]);
        Assert.Equal(EncryptionKey, key["value"]);
        Assert.Equal(2, run.OfType(ParameterType).Count());

        var host = run.Resources.OfType<AwsHost>().Single();
        Assert.Equal(["/psoxy/test/PSOXY_ENCRYPTION_KEY", "/psoxy/test/PSOXY_SALT"], host.StoredSecrets.Keys.Order());
        foreach (var value in host.StoredSecrets.Values)
        {
            Assert.True(await Output.IsSecretAsync(value));
        }

        // The values reach no other resource and no output.
        foreach (var resource in run.Cloud.Resources.Where(r => r.Type != ParameterType))
        {
            var text = System.Text.Json.JsonSerializer.Serialize(resource.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
            Assert.DoesNotContain(Salt, text, StringComparison.Ordinal);
            Assert.DoesNotContain(EncryptionKey, text, StringComparison.Ordinal);
        }

        var outputs = string.Join('\n', await run.Stack.WorklyticsInstructions.ValueAsync(), await run.Stack.AdminInstructions.ValueAsync(),
            System.Text.Json.JsonSerializer.Serialize(await run.Stack.Connectors.ValueAsync()));
        Assert.DoesNotContain(Salt, outputs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogGroup_HasTheRetention_AndFunctionUrl_NeedsIam()
    {
        var run = await RunAsync(Config("outlook-cal").WithAws(("logRetentionDays", 30)));

        var logGroup = run.Inputs(LogGroupType, "outlook-cal-log-group");
        Assert.Equal("/aws/lambda/test-outlook-cal", logGroup["name"]);
        Assert.Equal(30, Convert.ToInt32(logGroup["retentionInDays"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(logGroup.ContainsKey("kmsKeyId"));

        var url = run.Inputs(FunctionUrlType, "outlook-cal-function-url");
        Assert.Equal("AWS_IAM", url["authorizationType"]);
        Assert.False(url.ContainsKey("cors"));
        Assert.False(url.ContainsKey("qualifier"));
        Assert.Single(run.OfType(FunctionUrlType));
        Assert.Empty(run.OfType("aws:lambda/permission:Permission"));
    }

    [Fact]
    public async Task Outputs_EndpointUrl_CallerRole_Region_AndWorklyticsInstructions()
    {
        var config = Config("outlook-cal", "msft-teams").WithAws(("callerGcpServiceAccountIds", new[] { GcpCaller1 }));
        var run = await RunAsync(config);
        var stack = run.Stack;

        var connectors = await stack.Connectors.ValueAsync();
        var url = FakeCloud.FunctionUrlOf(AwsTestRun.Region, "test-outlook-cal");
        Assert.EndsWith("/", url, StringComparison.Ordinal);
        Assert.Equal(url, connectors["outlook-cal"]["endpointUrl"]);
        Assert.Equal(FakeCloud.FunctionUrlOf(AwsTestRun.Region, "test-msft-teams"), connectors["msft-teams"]["endpointUrl"]);

        const string RoleArn = $"arn:aws:iam::{Account}:role/testCaller";
        Assert.Equal(RoleArn, await stack.CallerRoleArn.ValueAsync());
        Assert.Equal("us-east-1", await stack.AwsRegion.ValueAsync());
        Assert.Null(await stack.GcpProjectId.ValueAsync());

        var md = await stack.WorklyticsInstructions.ValueAsync();
        Assert.Contains("## Outlook Calendar (`outlook-cal`)", md, StringComparison.Ordinal);
        Assert.Contains($"- **Psoxy Base URL**: `{url}`", md, StringComparison.Ordinal);
        Assert.Contains($"- **AWS Psoxy Role ARN**: `{RoleArn}`", md, StringComparison.Ordinal);
        Assert.Contains("- **AWS Psoxy Region**: `us-east-1`", md, StringComparison.Ordinal);
        var link = "https://intl.worklytics.co/analytics/connect/outlook-cal-psoxy/settings?PROXY_DEPLOYMENT_KIND=AWS"
            + $"&PROXY_ENDPOINT={Uri.EscapeDataString(url)}&PROXY_AWS_ROLE_ARN={Uri.EscapeDataString(RoleArn)}&PROXY_AWS_REGION=us-east-1";
        Assert.Contains($"({link})", md, StringComparison.Ordinal);
        Assert.Contains("https://intl.worklytics.co/analytics/connect/msft-teams-psoxy/settings?PROXY_DEPLOYMENT_KIND=AWS&PROXY_ENDPOINT=", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KmsKey_EncryptsEnvironmentLogsAndParameters_AndOnlyThatKeyMayBeUsedToDecryptAndEncrypt()
    {
        var run = await RunAsync(Config("outlook-cal").WithAws(("kmsKeyArn", KmsKey)));

        Assert.Equal(KmsKey, run.Inputs(FunctionType, "outlook-cal-function")["kmsKeyArn"]);
        Assert.Equal(KmsKey, run.Inputs(LogGroupType, "outlook-cal-log-group")["kmsKeyId"]);
        Assert.All(run.OfType(ParameterType), p => Assert.Equal(KmsKey, p.Inputs["keyId"]));

        var statements = PolicyStatement.Parse((string)run.Inputs(RolePolicyType, "outlook-cal-resource-access")["policy"]);
        var kms = Assert.Single(statements, s => s.Sid == "AllowKMSUse");
        Assert.Equal(["kms:Decrypt", "kms:Encrypt"], kms.Actions);
        Assert.Equal([KmsKey], kms.Resources);
        Assert.Equal(4, statements.Count);
    }

    [Fact]
    public async Task PermissionsBoundary_IsSetOnEveryRole_AndOnNoneWithout()
    {
        const string Boundary = "arn:aws:iam::123456789012:policy/org/PsoxyBoundary";
        var run = await RunAsync(Config(AllConnectors).WithAws(("permissionsBoundaryArn", Boundary)), preview: true);

        var roles = run.OfType(RoleType).ToList();
        // The caller role and one execution role per connector.
        Assert.Equal(AllConnectors.Length + 1, roles.Count);
        Assert.All(roles, r => Assert.Equal(Boundary, r.Inputs["permissionsBoundary"]));

        var plain = await RunAsync(Config(AllConnectors), preview: true);
        Assert.All(plain.OfType(RoleType), r => Assert.False(r.Inputs.ContainsKey("permissionsBoundary")));
    }

    [Fact]
    public async Task PublicBundleOfAnotherRegion_IsRefused_WhenTheRegionComesFromTheEnvironment()
    {
        // Neither psoxy:aws.region nor aws:region: the configuration check cannot see the region, the program does.
        var saved = Environment.GetEnvironmentVariable("AWS_REGION");
        Environment.SetEnvironmentVariable("AWS_REGION", "eu-west-1");
        try
        {
            var config = Config("outlook-cal");
            config.Remove("aws:region");
            var cloud = new FakeCloud();

            var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(config, cloud: cloud));

            Assert.Contains("psoxy:aws.deploymentBundle = 's3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar': Psoxy's public bucket of us-east-1, but the proxies run in eu-west-1", e.Message, StringComparison.Ordinal);
            Assert.Empty(cloud.Resources);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_REGION", saved);
        }
    }

    [Fact]
    public async Task ConfiguredRegion_IsSetOnEveryRegionalResource_AndNoNameDependsOnIt()
    {
        // The region only in psoxy:aws (the provider's comes from the environment), with the bundle of that region.
        var config = Config("outlook-cal").WithAws(("region", "eu-west-1"), ("deploymentBundle", "s3://psoxy-public-artifacts-eu-west-1/psoxy-aws-0.6.9.jar"));
        config.Remove("aws:region");
        var run = await RunAsync(config, preview: true);

        foreach (var type in new[] { FunctionType, FunctionUrlType, LogGroupType, ParameterType, PoolType })
        {
            Assert.All(run.OfType(type), r => Assert.Equal("eu-west-1", r.Inputs["region"]));
        }

        Assert.All(run.OfType(RoleType).Concat(run.OfType(RolePolicyType)), r => Assert.False(r.Inputs.ContainsKey("region")));
        Assert.Equal("test-outlook-cal", run.Inputs(FunctionType, "outlook-cal-function")["name"]);
        Assert.Equal("eu-west-1", await run.Stack.AwsRegion.ValueAsync());

        // ARNs follow the region the resources live in.
        var policy = PolicyStatement.Parse((string)run.Inputs(RolePolicyType, "aws-caller-access")["policy"]);
        Assert.Equal([$"arn:aws:lambda:eu-west-1:{Account}:function:test-outlook-cal"], policy[0].Resources);

        // Without it, nothing names a region: the provider's applies.
        var plain = await RunAsync(Config("outlook-cal"), preview: true);
        Assert.All(plain.Cloud.Resources.Where(r => r.Type!.StartsWith("aws:", StringComparison.Ordinal)), r => Assert.False(r.Inputs.ContainsKey("region")));
        Assert.Equal(
            run.Cloud.Resources.Select(r => (r.Type, r.Name)).Order(),
            plain.Cloud.Resources.Select(r => (r.Type, r.Name)).Order());
    }

    [Fact]
    public async Task CertificateAuth_StoresTheKeyAsSecureStrings_AndCreatesNoCognitoIdentity()
    {
        var config = Config("outlook-cal");
        config["psoxy:auth"] = "certificate";
        var run = await RunAsync(config);

        Assert.Empty(run.OfType(PoolType));
        Assert.Empty(run.OfType(CredentialType));

        var privateKey = run.Inputs(ParameterType, "outlook-cal-private-key");
        Assert.Equal("/psoxy/test/OUTLOOK_CAL_PRIVATE_KEY", privateKey["name"]);
        Assert.Equal("SecureString", privateKey["type"]);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", (string)privateKey["value"], StringComparison.Ordinal);
        var keyId = run.Inputs(ParameterType, "outlook-cal-private-key-id");
        Assert.Equal("/psoxy/test/OUTLOOK_CAL_PRIVATE_KEY_ID", keyId["name"]);
        Assert.Equal("SecureString", keyId["type"]);
        Assert.Matches("^[0-9A-F]{40}$", (string)keyId["value"]);

        var instance = run.Resources.OfType<AwsProxyInstance>().Single();
        Assert.Equal(["/psoxy/test/OUTLOOK_CAL_PRIVATE_KEY", "/psoxy/test/OUTLOOK_CAL_PRIVATE_KEY_ID"], instance.StoredSecrets.Keys.Order());
        foreach (var value in instance.StoredSecrets.Values)
        {
            Assert.True(await Output.IsSecretAsync(value));
        }

        var variables = EnvironmentOf(run.Inputs(FunctionType, "outlook-cal-function"));
        Assert.Equal("client_credentials", variables["GRANT_TYPE"]);
        Assert.DoesNotContain("IDENTITY_POOL_ID", variables.Keys);
        Assert.DoesNotContain("IDENTITY_ID", variables.Keys);
        Assert.DoesNotContain("DEVELOPER_NAME_ID", variables.Keys);
        Assert.DoesNotContain(variables.Values, v => v.Contains("PRIVATE KEY", StringComparison.Ordinal));
        Assert.Equal("/psoxy/test/OUTLOOK_CAL_", variables["PATH_TO_INSTANCE_CONFIG"]);

        // The instance can read its key (its own prefix), and nothing in Cognito.
        var statements = PolicyStatement.Parse((string)run.Inputs(RolePolicyType, "outlook-cal-resource-access")["policy"]);
        Assert.Equal(["ReadSharedSSMParameters", "ReadInstanceSSMParameters"], statements.Select(s => s.Sid));
        Assert.Equal([$"arn:aws:ssm:us-east-1:{Account}:parameter/psoxy/test/OUTLOOK_CAL_*"], statements[1].Resources);
    }

    [Fact]
    public async Task LocalBundle_IsUploadedToAPrivateEncryptedBucket_AndDeployedFromThere()
    {
        var directory = Directory.CreateTempSubdirectory("psoxy-bundle-");
        try
        {
            var jar = Path.Combine(directory.FullName, "psoxy-aws-0.6.9-custom.jar");
            await File.WriteAllBytesAsync(jar, [0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
            var run = await RunAsync(Config("outlook-cal").WithAws(("deploymentBundle", jar)));

            var bucket = run.Inputs(BucketType, "aws-artifacts");
            Assert.Equal("test-artifacts-", bucket["bucketPrefix"]);
            Assert.False(bucket.ContainsKey("acl"));
            Assert.False(bucket.ContainsKey("policy"));
            var bucketName = "test-artifacts-20260101000000000000000001";

            var block = run.Inputs(PublicAccessBlockType, "aws-artifacts-public-access");
            Assert.Equal(bucketName, block["bucket"]);
            foreach (var flag in new[] { "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets" })
            {
                Assert.Equal(true, block[flag]);
            }

            var encryption = run.Inputs(EncryptionType, "aws-artifacts-encryption");
            Assert.Equal(bucketName, encryption["bucket"]);
            var rule = (ImmutableDictionary<string, object>)Assert.Single((ImmutableArray<object>)encryption["rules"]);
            Assert.Equal("AES256", ((ImmutableDictionary<string, object>)rule["applyServerSideEncryptionByDefault"])["sseAlgorithm"]);

            var upload = run.Inputs(ObjectType, "aws-bundle");
            Assert.Equal(bucketName, upload["bucket"]);
            Assert.Equal("test/psoxy-aws-0.6.9-custom.jar", upload["key"]);
            Assert.IsType<FileAsset>(upload["source"]);

            var function = run.Inputs(FunctionType, "outlook-cal-function");
            Assert.Equal(bucketName, function["s3Bucket"]);
            Assert.Equal("test/psoxy-aws-0.6.9-custom.jar", function["s3Key"]);
            Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(jar))), function["sourceCodeHash"]);
            Assert.Equal("psoxy-aws-0.6.9-custom.jar", EnvironmentOf(function)["BUNDLE_FILENAME"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
