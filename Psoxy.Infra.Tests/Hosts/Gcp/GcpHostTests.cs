using System.Collections.Immutable;
using System.Security.Cryptography;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Entra;
using Psoxy.Infra.Hosts.Gcp;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Hosts.Gcp;

/// <summary>What a GCP stack declares, as the provider receives it.</summary>
public sealed class GcpHostTests
{
    internal const string FunctionType = "gcp:cloudfunctionsv2/function:Function";
    internal const string AccountType = "gcp:serviceaccount/account:Account";
    internal const string SecretType = "gcp:secretmanager/secret:Secret";
    internal const string SecretVersionType = "gcp:secretmanager/secretVersion:SecretVersion";
    internal const string SecretAccessorType = "gcp:secretmanager/secretIamMember:SecretIamMember";
    internal const string InvokerBindingType = "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding";
    internal const string ServiceType = "gcp:projects/service:Service";
    internal const string ServiceAccountIamMemberType = "gcp:serviceaccount/iAMMember:IAMMember";
    internal const string BucketType = "gcp:storage/bucket:Bucket";
    internal const string BucketObjectType = "gcp:storage/bucketObject:BucketObject";
    internal const string CredentialType = "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential";

    private const string TenantId = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10";
    private const string WorklyticsServiceAccount = "acme-tenant@worklytics-example.iam.gserviceaccount.com";
    private const string Tester = "user:it-admin@contoso.example";
    private const string Salt = "a-configured-salt-value";
    private const string EncryptionKey = "a-configured-encryption-key-of-32-chars";

    private static Dictionary<string, object> Config(params string[] connectors)
    {
        var config = StackRun.GcpConfig(connectors);
        var gcp = (Dictionary<string, object>)config["psoxy:gcp"];
        gcp["worklyticsServiceAccountEmails"] = new[] { WorklyticsServiceAccount };
        gcp["testPrincipals"] = new[] { Tester };
        config["psoxy:pseudonymSalt"] = Salt;
        config["psoxy:encryptionKey"] = EncryptionKey;
        return config;
    }

    private static Task<StackRun> RunAsync(Dictionary<string, object> config) =>
        StackRun.RunAsync(config, secretKeys: ["psoxy:pseudonymSalt", "psoxy:encryptionKey"]);

    private static string ServiceAccountEmail(string connector) => $"test-{connector}@{StackRun.GcpProjectId}.iam.gserviceaccount.com";

    [Fact]
    public async Task Function_RunsPsoxysBundleAsTheConnectorsServiceAccount()
    {
        var run = await RunAsync(Config("outlook-cal"));
        var function = run.Inputs(FunctionType, "outlook-cal-function");

        Assert.Equal("test-outlook-cal", function["name"]);
        Assert.Equal(StackRun.GcpProjectId, function["project"]);
        Assert.Equal("us-central1", function["location"]);

        var build = Map(function["buildConfig"]);
        Assert.Equal("java25", build["runtime"]);
        Assert.Equal("co.worklytics.psoxy.Route", build["entryPoint"]);
        var storage = Map(Map(build["source"])["storageSource"]);
        Assert.Equal("psoxy-public-artifacts", storage["bucket"]);
        Assert.Equal("psoxy-gcp-0.6.9.zip", storage["object"]);

        var service = Map(function["serviceConfig"]);
        Assert.Equal(ServiceAccountEmail("outlook-cal"), service["serviceAccountEmail"]);
        Assert.Equal("1024M", service["availableMemory"]);
        Assert.Equal(180, Convert.ToInt32(service["timeoutSeconds"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(20, Convert.ToInt32(service["maxInstanceCount"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ALLOW_ALL", service["ingressSettings"]);

        var account = run.Inputs(AccountType, "outlook-cal-service-account");
        Assert.Equal("test-outlook-cal", account["accountId"]);
        Assert.Equal(StackRun.GcpProjectId, account["project"]);
    }

    [Fact]
    public async Task Function_SettingsComeFromPsoxyGcp()
    {
        var config = Config("outlook-cal");
        var gcp = (Dictionary<string, object>)config["psoxy:gcp"];
        gcp["region"] = "europe-west1";
        gcp["runtime"] = "java21";
        gcp["memory"] = "2Gi";
        gcp["timeoutSeconds"] = 300;
        gcp["maxInstances"] = 3;
        var run = await RunAsync(config);

        var function = run.Inputs(FunctionType, "outlook-cal-function");
        Assert.Equal("europe-west1", function["location"]);
        Assert.Equal("java21", Map(function["buildConfig"])["runtime"]);
        var service = Map(function["serviceConfig"]);
        Assert.Equal("2Gi", service["availableMemory"]);
        Assert.Equal(300, Convert.ToInt32(service["timeoutSeconds"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, Convert.ToInt32(service["maxInstanceCount"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("300", Map(service["environmentVariables"])["REQUEST_TIMEOUT_SECONDS"]);
        Assert.Equal("europe-west1", run.Inputs(InvokerBindingType, "outlook-cal-invokers")["location"]);
    }

    [Fact]
    public async Task Function_HasEveryEnvironmentVariablePsoxyReads()
    {
        var run = await RunAsync(Config("outlook-cal", "msft-teams"));

        foreach (var (connector, source) in new[] { ("outlook-cal", "outlook-cal"), ("msft-teams", "msft-teams") })
        {
            var variables = Map(Map(run.Inputs(FunctionType, $"{connector}-function")["serviceConfig"])["environmentVariables"]);
            var expected = new Dictionary<string, object>
            {
                ["SOURCE"] = source,
                ["TARGET_HOST"] = "graph.microsoft.com",
                ["SOURCE_AUTH_STRATEGY_IDENTIFIER"] = "oauth2_refresh_token",
                ["OAUTH_SCOPES"] = string.Empty,
                ["GRANT_TYPE"] = "workload_identity_federation",
                ["TOKEN_SCOPE"] = "https://graph.microsoft.com/.default",
                ["REFRESH_ENDPOINT"] = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token",
                ["CLIENT_ID"] = FakeCloud.ClientIdOf(connector),
                ["AUDIENCE"] = "api://AzureADTokenExchange",
                ["PSEUDONYMIZE_APP_IDS"] = "true",
                ["EMAIL_CANONICALIZATION"] = "IGNORE_DOTS",
                ["IS_DEVELOPMENT_MODE"] = "false",
                ["REQUEST_TIMEOUT_SECONDS"] = "180",
                ["BUNDLE_FILENAME"] = "psoxy-gcp-0.6.9.zip",
                ["PATH_TO_SHARED_CONFIG"] = "PSOXY_TEST_",
                ["PATH_TO_INSTANCE_CONFIG"] = $"PSOXY_TEST_{connector.ToUpperInvariant().Replace('-', '_')}_",
            };
            Assert.Equal(expected.OrderBy(kv => kv.Key), variables.OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public async Task Function_ReadsSaltAndKeyAsSecretVariablesPinnedToTheirVersions()
    {
        var run = await RunAsync(Config("outlook-cal"));

        var bindings = SecretVariables(run, "outlook-cal");
        Assert.Equal(
            [
                ("PSOXY_SALT", "PSOXY_TEST_PSOXY_SALT", FakeCloud.FirstSecretVersion, StackRun.GcpProjectId),
                ("PSOXY_ENCRYPTION_KEY", "PSOXY_TEST_PSOXY_ENCRYPTION_KEY", FakeCloud.FirstSecretVersion, StackRun.GcpProjectId),
            ],
            bindings);
        // Nothing secret travels as a plain environment variable.
        var variables = Map(Map(run.Inputs(FunctionType, "outlook-cal-function")["serviceConfig"])["environmentVariables"]);
        Assert.DoesNotContain(variables.Values, v => Equals(v, Salt) || Equals(v, EncryptionKey));
    }

    [Fact]
    public async Task Function_PinsTheVersionNumberSecretManagerReports()
    {
        // A version number other than 1 must reach the function as is: it comes from the version, not a constant.
        var cloud = new FakeCloud();
        var run = await StackRun.RunAsync(Config("outlook-cal"), cloud: cloud, mocks: new VersionNumberCloud(cloud, "7"), secretKeys: ["psoxy:pseudonymSalt", "psoxy:encryptionKey"]);
        var pinned = SecretVariables(run, "outlook-cal").Select(b => b.Version).Distinct().ToList();
        Assert.Equal(["7"], pinned);
    }

    [Fact]
    public async Task SaltAndKey_AreStoredOncePerEnvironment_SecretAndKept()
    {
        var run = await RunAsync(Config("outlook-cal", "msft-teams"));

        var secrets = run.OfType(SecretType).ToList();
        Assert.Equal(["PSOXY_TEST_PSOXY_ENCRYPTION_KEY", "PSOXY_TEST_PSOXY_SALT"], secrets.Select(s => (string)s.Inputs["secretId"]).Order(StringComparer.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.Equal(StackRun.GcpProjectId, secret.Inputs["project"]);
            var replicas = (ImmutableArray<object>)Map(Map(secret.Inputs["replication"])["userManaged"])["replicas"];
            Assert.Equal(["us-central1", "us-west1"], replicas.Select(r => (string)Map(r)["location"]));
            Assert.False(Map(secret.Inputs["replication"]).ContainsKey("auto"));
        }

        var salt = run.Inputs(SecretVersionType, "gcp-pseudonym-salt-version");
        Assert.Equal("projects/psoxy-test/secrets/PSOXY_TEST_PSOXY_SALT", salt["secret"]);
        Assert.Equal(Salt, salt["secretData"]);
        Assert.Equal("DISABLE", salt["deletionPolicy"]);
        var key = run.Inputs(SecretVersionType, "gcp-encryption-key-version");
        Assert.Equal("projects/psoxy-test/secrets/PSOXY_TEST_PSOXY_ENCRYPTION_KEY", key["secret"]);
        Assert.Equal(EncryptionKey, key["secretData"]);
        Assert.Equal("DISABLE", key["deletionPolicy"]);

        // The values reach Secret Manager only as secret Outputs (never plain text in the state or the preview).
        var host = run.Resources.OfType<GcpHost>().Single();
        Assert.Equal(["salt", "encryption-key"], host.SharedSecrets.Select(s => s.Slug));
        foreach (var stored in host.SharedSecrets)
        {
            Assert.True(await Output.IsSecretAsync(stored.Data));
        }
    }

    [Fact]
    public async Task SecretReplicaLocations_AreThoseConfigured()
    {
        var config = Config("outlook-cal");
        ((Dictionary<string, object>)config["psoxy:gcp"])["secretReplicaLocations"] = new[] { "europe-west1", "europe-west4" };
        var run = await RunAsync(config);

        Assert.All(run.OfType(SecretType), secret =>
        {
            var replicas = (ImmutableArray<object>)Map(Map(secret.Inputs["replication"])["userManaged"])["replicas"];
            Assert.Equal(["europe-west1", "europe-west4"], replicas.Select(r => (string)Map(r)["location"]));
        });
    }

    [Fact]
    public async Task EachServiceAccount_MayReadExactlyTheSaltAndKey_PerSecret()
    {
        var run = await RunAsync(Config("outlook-cal", "msft-teams"));

        var grants = run.OfType(SecretAccessorType)
            .Select(g => ((string)g.Inputs["secretId"], (string)g.Inputs["member"], (string)g.Inputs["role"], (string)g.Inputs["project"]))
            .Order()
            .ToList();
        var expected = new[] { "outlook-cal", "msft-teams" }
            .SelectMany(c => new[] { "PSOXY_TEST_PSOXY_SALT", "PSOXY_TEST_PSOXY_ENCRYPTION_KEY" }
                .Select(s => (s, "serviceAccount:" + ServiceAccountEmail(c), "roles/secretmanager.secretAccessor", StackRun.GcpProjectId)))
            .Order()
            .ToList();
        Assert.Equal(expected, grants);
        // No project-wide grant of any kind.
        Assert.DoesNotContain(run.Cloud.Resources, r => r.Type!.StartsWith("gcp:projects/iam", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invokers_AreExactlyTheConfiguredMembers_OnTheFunctionsCloudRunService()
    {
        var run = await RunAsync(Config("outlook-cal", "msft-teams"));

        foreach (var connector in new[] { "outlook-cal", "msft-teams" })
        {
            var binding = run.Inputs(InvokerBindingType, $"{connector}-invokers");
            Assert.Equal("roles/run.invoker", binding["role"]);
            Assert.Equal($"test-{connector}", binding["name"]);
            Assert.Equal("us-central1", binding["location"]);
            Assert.Equal(StackRun.GcpProjectId, binding["project"]);
            Assert.Equal(["serviceAccount:" + WorklyticsServiceAccount, Tester], ((ImmutableArray<object>)binding["members"]).Cast<string>());
        }

        Assert.Equal(2, run.OfType(InvokerBindingType).Count());
        // Only the authoritative binding grants invocation; never a public member anywhere.
        Assert.Empty(run.OfType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember"));
        Assert.Empty(run.OfType("gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember"));
        Assert.DoesNotContain(run.Cloud.Resources, r => r.Inputs.Values.OfType<string>().Any(v => v is "allUsers" or "allAuthenticatedUsers"));
    }

    [Fact]
    public async Task NoInvokersConfigured_GrantsNobody()
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal"));

        Assert.Empty(run.OfType(InvokerBindingType));
        Assert.Single(run.OfType(FunctionType));
    }

    [Fact]
    public async Task ProjectServices_AreEnabled_AndNeverDisabledOnDestroy()
    {
        var run = await RunAsync(Config("outlook-cal"));

        var services = run.OfType(ServiceType).ToList();
        Assert.Equal(
            ["artifactregistry", "cloudbuild", "cloudfunctions", "cloudresourcemanager", "compute", "iam", "run", "secretmanager", "storage"],
            services.Select(s => ((string)s.Inputs["service"]).Replace(".googleapis.com", string.Empty, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(services, s =>
        {
            Assert.Equal(false, s.Inputs["disableOnDestroy"]);
            Assert.Equal(StackRun.GcpProjectId, s.Inputs["project"]);
        });
    }

    [Fact]
    public async Task EveryGcpResource_NamesTheProjectAndRegionExplicitly()
    {
        var config = Config("outlook-cal", "msft-teams");
        config["psoxy:auth"] = "certificate";
        var run = await RunAsync(config);

        var gcp = run.Cloud.Resources.Where(r => r.Type!.StartsWith("gcp:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(gcp);
        // A bucket object has no project of its own: it lives in its bucket.
        Assert.All(gcp.Where(r => r.Type is not BucketObjectType and not ServiceAccountIamMemberType), r => Assert.Equal(StackRun.GcpProjectId, r.Inputs["project"]));
        // A grant on a service account names it with its project.
        Assert.All(run.OfType(ServiceAccountIamMemberType), r => Assert.StartsWith($"projects/{StackRun.GcpProjectId}/serviceAccounts/", (string)r.Inputs["serviceAccountId"], StringComparison.Ordinal));
        Assert.All(gcp.Where(r => r.Type is FunctionType or InvokerBindingType), r => Assert.Equal("us-central1", r.Inputs["location"]));
    }

    [Fact]
    public async Task FederatedCredential_TrustsTheServiceAccountsUniqueId()
    {
        var run = await RunAsync(Config("outlook-cal", "msft-teams"));

        foreach (var connector in new[] { "outlook-cal", "msft-teams" })
        {
            var credential = run.Inputs(CredentialType, $"{connector}-federated-credential");
            Assert.Equal("/applications/" + FakeCloud.ObjectIdOf(connector), credential["applicationId"]);
            Assert.Equal("https://accounts.google.com", credential["issuer"]);
            Assert.Equal(["api://AzureADTokenExchange"], ((ImmutableArray<object>)credential["audiences"]).Cast<string>());
            Assert.Equal(FakeCloud.UniqueIdOf($"{connector}-service-account"), credential["subject"]);
            Assert.Equal("psoxy-test-gcp", credential["displayName"]);
        }

        Assert.NotEqual(
            run.Inputs(CredentialType, "outlook-cal-federated-credential")["subject"],
            run.Inputs(CredentialType, "msft-teams-federated-credential")["subject"]);
    }

    [Fact]
    public async Task Outputs_EndpointUrlsProjectAndWorklyticsInstructions()
    {
        var run = await RunAsync(Config("outlook-cal", "msft-teams"));

        var connectors = await run.Stack.Connectors.ValueAsync();
        foreach (var connector in new[] { "outlook-cal", "msft-teams" })
        {
            Assert.Equal(FakeCloud.FunctionUriOf($"test-{connector}") + "/", connectors[connector]["endpointUrl"]);
        }

        Assert.Equal(StackRun.GcpProjectId, await run.Stack.GcpProjectId.ValueAsync());
        Assert.Null(await run.Stack.AwsRegion.ValueAsync());
        Assert.Null(await run.Stack.CallerRoleArn.ValueAsync());

        var md = await run.Stack.WorklyticsInstructions.ValueAsync();
        foreach (var (connector, worklyticsId) in new[] { ("outlook-cal", "outlook-cal-psoxy"), ("msft-teams", "msft-teams-psoxy") })
        {
            var url = FakeCloud.FunctionUriOf($"test-{connector}") + "/";
            Assert.Contains($"- **Psoxy Base URL**: `{url}`", md, StringComparison.Ordinal);
            Assert.Contains(
                $"(https://intl.worklytics.co/analytics/connect/{worklyticsId}/settings?PROXY_DEPLOYMENT_KIND=GCP&PROXY_ENDPOINT={Uri.EscapeDataString(url)})",
                md, StringComparison.Ordinal);
        }

        Assert.Contains("> GCP", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryConnector_GetsItsOwnFunctionAndServiceAccount()
    {
        var ids = ConnectorCatalog.All.Select(c => c.Id).ToArray();
        var config = Config(ids);
        config["psoxy:environment"] = "abcdefghij-klmnopqrs"; // the longest allowed (20 characters)
        var run = await RunAsync(config);

        var functions = run.OfType(FunctionType).ToList();
        var accounts = run.OfType(AccountType).ToList();
        Assert.Equal(ids.Length, functions.Count);
        // One per connector, and the environment's build service account.
        Assert.Equal(ids.Length + 1, accounts.Count);
        var accountIds = accounts.Select(a => (string)a.Inputs["accountId"]).ToList();
        Assert.Equal(accountIds.Count, accountIds.Distinct().Count());
        Assert.All(accountIds, id => Assert.Matches("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", id));

        foreach (var connector in ConnectorCatalog.All)
        {
            var function = run.Inputs(FunctionType, $"{connector.Id}-function");
            Assert.Equal($"abcdefghij-klmnopqrs-{connector.Id}", function["name"]);
            var service = Map(function["serviceConfig"]);
            var accountId = (string)run.Inputs(AccountType, $"{connector.Id}-service-account")["accountId"];
            Assert.Equal($"{accountId}@{StackRun.GcpProjectId}.iam.gserviceaccount.com", service["serviceAccountEmail"]);
            var variables = Map(service["environmentVariables"]);
            Assert.Equal(connector.SourceKind, variables["SOURCE"]);
            Assert.Equal(FakeCloud.ClientIdOf(connector.Id), variables["CLIENT_ID"]);
            Assert.Equal("PSOXY_ABCDEFGHIJ_KLMNOPQRS_", variables["PATH_TO_SHARED_CONFIG"]);
            Assert.Equal(2, SecretVariables(run, connector.Id).Count);
            Assert.Equal($"https://accounts.google.com", run.Inputs(CredentialType, $"{connector.Id}-federated-credential")["issuer"]);
        }

        var endpoints = (await run.Stack.Connectors.ValueAsync()).Values.Select(c => (string)c["endpointUrl"]).ToList();
        Assert.Equal(ids.Length, endpoints.Distinct().Count());
        Assert.All(endpoints, e => Assert.EndsWith(".a.run.app/", e, StringComparison.Ordinal));
        // One set of shared secrets for all of them.
        Assert.Equal(2, run.OfType(SecretType).Count());
        Assert.Equal(ids.Length * 2, run.OfType(SecretAccessorType).Count());
    }

    [Fact]
    public async Task CertificateAuth_StoresEachConnectorsKeyForItsServiceAccountOnly()
    {
        var config = Config("outlook-cal", "msft-teams");
        config["psoxy:auth"] = "certificate";
        var run = await RunAsync(config);

        Assert.Empty(run.OfType(CredentialType));
        var connections = run.Resources.OfType<EntraConnection>().ToDictionary(c => c.Connector.Id);
        foreach (var connector in new[] { "outlook-cal", "msft-teams" })
        {
            var upper = connector.ToUpperInvariant().Replace('-', '_');
            var variables = Map(Map(run.Inputs(FunctionType, $"{connector}-function")["serviceConfig"])["environmentVariables"]);
            Assert.Equal("client_credentials", variables["GRANT_TYPE"]);
            Assert.False(variables.ContainsKey("AUDIENCE"));
            Assert.Equal($"PSOXY_TEST_{upper}_", variables["PATH_TO_INSTANCE_CONFIG"]);

            Assert.Equal(
                [
                    ("PSOXY_SALT", "PSOXY_TEST_PSOXY_SALT", "1", StackRun.GcpProjectId),
                    ("PSOXY_ENCRYPTION_KEY", "PSOXY_TEST_PSOXY_ENCRYPTION_KEY", "1", StackRun.GcpProjectId),
                    ("PRIVATE_KEY", $"PSOXY_TEST_{upper}_PRIVATE_KEY", "1", StackRun.GcpProjectId),
                    ("PRIVATE_KEY_ID", $"PSOXY_TEST_{upper}_PRIVATE_KEY_ID", "1", StackRun.GcpProjectId),
                ],
                SecretVariables(run, connector));

            var certificate = connections[connector].Certificate!;
            var keyVersion = run.Inputs(SecretVersionType, $"{connector}-private-key-version");
            Assert.Equal($"projects/psoxy-test/secrets/PSOXY_TEST_{upper}_PRIVATE_KEY", keyVersion["secret"]);
            Assert.Equal(await certificate.PrivateKeyPem.ValueAsync(), keyVersion["secretData"]);
            var idVersion = run.Inputs(SecretVersionType, $"{connector}-private-key-id-version");
            Assert.Equal(await certificate.KeyId.ValueAsync(), idVersion["secretData"]);
            Assert.Matches("^[0-9A-F]{40}$", (string)idVersion["secretData"]);

            // Only this connector's service account may read its key and key id.
            var readers = run.OfType(SecretAccessorType)
                .Where(g => ((string)g.Inputs["secretId"]).StartsWith($"PSOXY_TEST_{upper}_", StringComparison.Ordinal))
                .Select(g => ((string)g.Inputs["secretId"], (string)g.Inputs["member"]))
                .Order()
                .ToList();
            Assert.Equal(
                [
                    ($"PSOXY_TEST_{upper}_PRIVATE_KEY", "serviceAccount:" + ServiceAccountEmail(connector)),
                    ($"PSOXY_TEST_{upper}_PRIVATE_KEY_ID", "serviceAccount:" + ServiceAccountEmail(connector)),
                ],
                readers);
        }

        // Four per instance: the shared salt and key, its own key and key id; all secret Outputs.
        var stored = run.Resources.OfType<GcpProxyInstance>().SelectMany(i => i.Secrets).ToList();
        Assert.Equal(8, stored.Count);
        foreach (var secret in stored)
        {
            Assert.True(await Output.IsSecretAsync(secret.Data));
        }
    }

    [Fact]
    public async Task LocalBundle_IsUploadedToAPrivateBucket_AndBuiltFromThere()
    {
        var path = Path.Combine(Path.GetTempPath(), $"psoxy-gcp-test-{Guid.NewGuid():N}.zip");
        await File.WriteAllBytesAsync(path, [0x50, 0x4b, 0x05, 0x06, 1, 2, 3]);
        try
        {
            var config = Config("outlook-cal", "msft-teams");
            ((Dictionary<string, object>)config["psoxy:gcp"])["deploymentBundle"] = path;
            var run = await RunAsync(config);

            var bucket = Assert.Single(run.OfType(BucketType)).Inputs;
            Assert.Equal("psoxy-test-test-artifacts", bucket["name"]);
            Assert.Equal(StackRun.GcpProjectId, bucket["project"]);
            Assert.Equal("us-central1", bucket["location"]);
            Assert.Equal(true, bucket["uniformBucketLevelAccess"]);
            Assert.Equal("enforced", bucket["publicAccessPrevention"]);

            var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)))[..12];
            var objectName = $"test-{Path.GetFileNameWithoutExtension(path)}-{hash}.zip";
            var bundle = Assert.Single(run.OfType(BucketObjectType)).Inputs;
            Assert.Equal("psoxy-test-test-artifacts", bundle["bucket"]);
            Assert.Equal(objectName, bundle["name"]);
            // The file itself is uploaded (the object name carries its content hash).
            Assert.IsType<FileAsset>(bundle["source"]);
            Assert.Equal("application/zip", bundle["contentType"]);

            foreach (var connector in new[] { "outlook-cal", "msft-teams" })
            {
                var function = run.Inputs(FunctionType, $"{connector}-function");
                var storage = Map(Map(Map(function["buildConfig"])["source"])["storageSource"]);
                Assert.Equal("psoxy-test-test-artifacts", storage["bucket"]);
                Assert.Equal(objectName, storage["object"]);
                Assert.Equal(Path.GetFileName(path), Map(Map(function["serviceConfig"])["environmentVariables"])["BUNDLE_FILENAME"]);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal const string BuildAccountMember = "serviceAccount:test-proxy-builder@psoxy-test.iam.gserviceaccount.com";

    /// <summary>Every grant to the build service account, as (type, role, resource it is on).</summary>
    private static List<(string Type, string Role, string On)> BuildGrants(StackRun run) =>
        run.Cloud.Resources.Where(r => r.Inputs.TryGetValue("member", out var m) && (string)m == BuildAccountMember)
            .Select(r => (r.Type!, (string)r.Inputs["role"], (string)(r.Inputs.GetValueOrDefault("repository") ?? r.Inputs.GetValueOrDefault("bucket") ?? r.Inputs["project"])))
            .Order()
            .ToList();

    [Fact]
    public async Task EveryFunction_IsBuiltByTheBuildServiceAccount_IntoTheEnvironmentsRepository_WithExactlyItsRoles()
    {
        var run = await RunAsync(Config(ConnectorCatalog.All.Select(c => c.Id).ToArray()));

        var account = run.Inputs(AccountType, "gcp-build-service-account");
        Assert.Equal("test-proxy-builder", account["accountId"]);
        Assert.Equal(StackRun.GcpProjectId, account["project"]);

        var repository = Assert.Single(run.OfType("gcp:artifactregistry/repository:Repository")).Inputs;
        Assert.Equal("test-psoxy-functions", repository["repositoryId"]);
        Assert.Equal("DOCKER", repository["format"]);
        Assert.Equal("us-central1", repository["location"]);
        Assert.Equal(false, repository["cleanupPolicyDryRun"]);
        var policies = ((ImmutableArray<object>)repository["cleanupPolicies"]).Select(Map).ToList();
        Assert.Equal(["delete-older-versions", "keep-most-recent-versions"], policies.Select(p => (string)p["id"]));
        Assert.Equal("DELETE", policies[0]["action"]);
        Assert.Equal("ANY", Map(policies[0]["condition"])["tagState"]);
        Assert.Equal("KEEP", policies[1]["action"]);
        Assert.Equal(3, Convert.ToInt32(Map(policies[1]["mostRecentVersions"])["keepCount"], System.Globalization.CultureInfo.InvariantCulture));

        // Each role on the narrowest resource the API allows; a released bundle is public, so no bucket grant.
        Assert.Equal(
            [
                ("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "roles/artifactregistry.writer", "test-psoxy-functions"),
                ("gcp:projects/iAMMember:IAMMember", "roles/cloudbuild.builds.builder", StackRun.GcpProjectId),
                ("gcp:projects/iAMMember:IAMMember", "roles/logging.logWriter", StackRun.GcpProjectId),
                ("gcp:projects/iAMMember:IAMMember", "roles/storage.objectViewer", StackRun.GcpProjectId),
            ],
            BuildGrants(run));

        // Google's list for a custom build service account (GcpBuild.GoogleGuide) and Psoxy's gcp module: read on the
        // function sources Cloud Functions stages, and on nothing else of the project.
        var staging = Assert.Single(run.Cloud.Resources, r => r.Type == "gcp:projects/iAMMember:IAMMember" && (string)r.Inputs["role"] == "roles/storage.objectViewer").Inputs;
        var condition = Map(staging["condition"]);
        Assert.Equal(
            "resource.type == \"storage.googleapis.com/Object\" && (resource.name.startsWith(\"projects/_/buckets/gcf-v2-sources-\") || resource.name.startsWith(\"projects/_/buckets/gcf-v2-uploads-\") || resource.name.startsWith(\"projects/_/buckets/run-sources-\"))",
            condition["expression"]);
        Assert.Equal("Cloud Functions build source buckets", condition["title"]);
        Assert.All(run.Cloud.Resources.Where(r => r.Type == "gcp:projects/iAMMember:IAMMember" && r != run.Cloud.Resources.First(x => x.Inputs == staging)), r => Assert.False(r.Inputs.ContainsKey("condition")));

        foreach (var connector in ConnectorCatalog.All)
        {
            var build = Map(run.Inputs(FunctionType, $"{connector.Id}-function")["buildConfig"]);
            Assert.Equal("projects/psoxy-test/serviceAccounts/test-proxy-builder@psoxy-test.iam.gserviceaccount.com", build["serviceAccount"]);
            Assert.Equal("projects/psoxy-test/locations/us-central1/repositories/test-psoxy-functions", build["dockerRepository"]);
        }
    }

    [Fact]
    public async Task Deployer_MayActAsEveryServiceAccountTheStackCreates_GrantedByTheComponentThatOwnsIt()
    {
        // gcp-proxy-api's tf_runner_act_as: a function can only be deployed to run as, or be built by, an account the
        // deployer may act as.
        var run = await RunAsync(Config(ConnectorCatalog.All.Select(c => c.Id).ToArray()));

        var accounts = run.OfType(AccountType).Select(a => $"projects/psoxy-test/serviceAccounts/{a.Inputs["accountId"]}@psoxy-test.iam.gserviceaccount.com").Order().ToList();
        var grants = run.OfType(ServiceAccountIamMemberType).ToList();
        Assert.Equal(ConnectorCatalog.All.Count + 1, accounts.Count);
        Assert.Equal(accounts, grants.Select(g => (string)g.Inputs["serviceAccountId"]).Order());
        Assert.All(grants, g =>
        {
            Assert.Equal("roles/iam.serviceAccountUser", g.Inputs["role"]);
            Assert.Equal("serviceAccount:" + FakeCloud.DefaultGcpDeployerEmail, g.Inputs["member"]);
            Assert.False(g.Inputs.ContainsKey("condition"));
        });

        // Their parents (the host for the build account, each connector's instance for its own) are in the URNs the
        // replacement snapshots hold (Safety/Snapshots).
    }

    [Fact]
    public async Task Deployer_APerson_IsGrantedAsAUser()
    {
        var run = await StackRun.RunAsync(Config("outlook-cal"), cloud: new FakeCloud { GcpDeployerEmail = "alice@contoso.example" }, secretKeys: ["psoxy:pseudonymSalt", "psoxy:encryptionKey"]);

        Assert.All(run.OfType(ServiceAccountIamMemberType), g => Assert.Equal("user:alice@contoso.example", g.Inputs["member"]));
        Assert.Equal(2, run.OfType(ServiceAccountIamMemberType).Count());
    }

    [Theory]
    [InlineData("ci@acme-prod.iam.gserviceaccount.com", "serviceAccount:ci@acme-prod.iam.gserviceaccount.com")]
    [InlineData("123-compute@developer.gserviceaccount.com", "serviceAccount:123-compute@developer.gserviceaccount.com")]
    [InlineData("bob@contoso.example", "user:bob@contoso.example")]
    public void DeployerMember_ServiceAccountOrUser(string email, string member) => Assert.Equal(member, GcpDeployer.MemberOf(email));

    [Fact]
    public void DeployerMember_WithoutAnEmail_IsRefusedNamingTheScope()
    {
        var e = Assert.Throws<RunException>(() => GcpDeployer.MemberOf(""));
        Assert.Contains("userinfo.email", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalBundle_TheBuildServiceAccountMayReadTheUploadBucket_Only()
    {
        var path = Path.Combine(Path.GetTempPath(), $"psoxy-gcp-test-{Guid.NewGuid():N}.zip");
        await File.WriteAllBytesAsync(path, [0x50, 0x4b, 0x05, 0x06, 1, 2, 3]);
        try
        {
            var config = Config("outlook-cal");
            ((Dictionary<string, object>)config["psoxy:gcp"])["deploymentBundle"] = path;
            var run = await RunAsync(config);

            Assert.Contains(("gcp:storage/bucketIAMMember:BucketIAMMember", "roles/storage.objectViewer", "psoxy-test-test-artifacts"), BuildGrants(run));
            Assert.Equal(5, BuildGrants(run).Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RemoteBundle_UploadsNothing()
    {
        var run = await RunAsync(Config("outlook-cal"));

        Assert.Empty(run.OfType(BucketType));
        Assert.Empty(run.OfType(BucketObjectType));
    }

    [Fact]
    public async Task Preview_LeavesTheEndpointUnknown_AndDeclaresTheSameResources()
    {
        var previewCloud = new PreviewCloud();
        var preview = await StackRun.RunAsync(Config("outlook-cal"), preview: true, mocks: previewCloud, secretKeys: ["psoxy:pseudonymSalt", "psoxy:encryptionKey"]);
        var run = await RunAsync(Config("outlook-cal"));

        Assert.False(await Pulumi.Utilities.OutputUtilities.GetIsKnownAsync(preview.Stack.Connectors));
        var instructions = await preview.Stack.WorklyticsInstructions.ValueAsync();
        Assert.Contains(Psoxy.Infra.Hosts.PreviewValue.KnownAfterDeploy, instructions, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeCloud.FunctionUriOf("test-outlook-cal"), instructions, StringComparison.Ordinal);
        Assert.Equal(
            run.Cloud.Resources.Select(r => (r.Type, r.Name)).Order(),
            previewCloud.Registered.Select(r => (r.Type, r.Name)).Order());
    }

    /// <summary>The function's secret environment variables: (variable, secret id, pinned version, project).</summary>
    private static List<(string Key, string Secret, string Version, string Project)> SecretVariables(StackRun run, string connector) =>
        ((ImmutableArray<object>)Map(run.Inputs(FunctionType, $"{connector}-function")["serviceConfig"])["secretEnvironmentVariables"])
            .Select(Map)
            .Select(s => ((string)s["key"], (string)s["secret"], (string)s["version"], (string)s["projectId"]))
            .ToList();

    [Fact]
    public async Task Sizing_DefaultsToPsoxys_FiveRequestsPerInstanceOnOneCpu_OnEveryFunction()
    {
        var all = ConnectorCatalog.All.Select(c => c.Id).ToArray();
        var run = await RunAsync(Config(all));

        foreach (var connector in all)
        {
            var service = Map(run.Inputs(FunctionType, $"{connector}-function")["serviceConfig"]);
            Assert.Equal(5, Convert.ToInt32(service["maxInstanceRequestConcurrency"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("1", service["availableCpu"]);
            Assert.Equal(20, Convert.ToInt32(service["maxInstanceCount"], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Sizing_AsConfigured()
    {
        var config = Config("outlook-cal");
        var gcp = (Dictionary<string, object>)config["psoxy:gcp"];
        gcp["instanceConcurrency"] = 1;
        gcp["availableCpu"] = "0.5";
        gcp["maxInstances"] = 7;
        var run = await RunAsync(config);

        var service = Map(run.Inputs(FunctionType, "outlook-cal-function")["serviceConfig"]);
        Assert.Equal(1, Convert.ToInt32(service["maxInstanceRequestConcurrency"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("0.5", service["availableCpu"]);
        Assert.Equal(7, Convert.ToInt32(service["maxInstanceCount"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task AllowedDataAccessIpBlocks_AndEnvironmentVariables_ReachEveryFunction()
    {
        // gcp-proxy-api: ALLOWED_DATA_ACCESS_IP_BLOCKS comma-joined (GCP enforces it in the proxy only); gcp-host:
        // general_environment_variables on every instance.
        var all = ConnectorCatalog.All.Select(c => c.Id).ToArray();
        var config = Config(all);
        config["psoxy:allowedDataAccessIpBlocks"] = new[] { "203.0.113.0/24", "2001:db8::/32" };
        config["psoxy:environmentVariables"] = new Dictionary<string, object> { ["LOG_LEVEL"] = "DEBUG" };
        var run = await RunAsync(config);

        foreach (var connector in all)
        {
            var variables = Map(Map(run.Inputs(FunctionType, $"{connector}-function")["serviceConfig"])["environmentVariables"]);
            Assert.Equal("203.0.113.0/24,2001:db8::/32", variables["ALLOWED_DATA_ACCESS_IP_BLOCKS"]);
            Assert.Equal("DEBUG", variables["LOG_LEVEL"]);
            Assert.All(variables.Keys.Where(k => k != "LOG_LEVEL"),
                name => Assert.Contains(name, Psoxy.Infra.Configuration.ProxyOptions.ManagedVariableNames));
        }
    }

    private static ImmutableDictionary<string, object> Map(object value) => (ImmutableDictionary<string, object>)value;

    /// <summary>A cloud whose Secret Manager is further along: every new version gets number <paramref name="version"/>.</summary>
    private sealed class VersionNumberCloud(FakeCloud cloud, string version) : Pulumi.Testing.IMocks
    {
        private readonly FakeCloud _cloud = cloud;

        public async Task<(string? id, object state)> NewResourceAsync(Pulumi.Testing.MockResourceArgs args)
        {
            var (id, state) = await _cloud.NewResourceAsync(args);
            return args.Type == SecretVersionType
                ? (id, ((ImmutableDictionary<string, object>)state).SetItem("version", version))
                : (id, state);
        }

        public Task<object> CallAsync(Pulumi.Testing.MockCallArgs args) => _cloud.CallAsync(args);
    }
}
