using System.Text.Json;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;
using Pulumi;
using Pulumi.Utilities;
using YamlDotNet.RepresentationModel;

namespace Psoxy.Infra.Tests.PulumiBehaviour;

/// <summary>
/// What the program assumes about Pulumi itself, checked against Pulumi's own test runner and mock monitor: the
/// configuration as the CLI hands it over, parents and URNs as the engine assigns them, preview unknowns, secrets,
/// and checks that stop a deployment before anything is created.
/// </summary>
public sealed class PulumiAssumptionsTests
{
    private static readonly string[] AllConnectors = [.. ConnectorCatalog.All.Select(c => c.Id)];

    [Fact]
    public async Task Config_AsPulumiConfigSetWritesIt_PathObjectsAndSecrets_IsRead()
    {
        // `pulumi config set --path psoxy:gcp.projectId ...` nests an object; the CLI hands it to the program as JSON
        // text. `--secret` values arrive decrypted, their keys listed in PULUMI_CONFIG_SECRET_KEYS.
        var config = new Dictionary<string, object>
        {
            ["psoxy:environment"] = "test",
            ["psoxy:msftTenantId"] = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10",
            ["psoxy:host"] = "gcp",
            ["psoxy:connectors"] = """["outlook-cal"]""",
            ["psoxy:gcp"] = """{"deploymentBundle":"gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip","projectId":"psoxy-test","region":"europe-west1"}""",
            ["psoxy:pseudonymSalt"] = "an-existing-salt-value",
            ["psoxy:grantAdminConsent"] = "true",
            ["gcp:project"] = "psoxy-test",
        };

        var observed = await Safety.ObservedStack.ObserveAsync(config, secretKeys: ["psoxy:pseudonymSalt"], cloud: new FakeCloud());

        var function = observed.OfType("gcp:cloudfunctionsv2/function:Function").Single();
        Assert.Equal("europe-west1", function.Inputs["location"]);
        Assert.NotEmpty(observed.OfType("azuread:index/appRoleAssignment:AppRoleAssignment"));
        var saltVersion = observed.Resources.Single(r => r.Name == "gcp-pseudonym-salt-version");
        Assert.Equal("an-existing-salt-value", saltVersion.Inputs["secretData"]);
        Assert.Contains("secretData", saltVersion.SecretInputPaths);
        // A configured salt replaces the generated one.
        Assert.DoesNotContain(observed.OfType("random:index/randomPassword:RandomPassword"), r => r.Name.Contains("salt", StringComparison.Ordinal));
    }

    [Fact]
    public void SecretsFromConfig_NeverAppearInTheSettingsToString()
    {
        var settings = StackSettingsReader.Read(new DictionaryConfigSource(new Dictionary<string, string>
        {
            ["environment"] = "dev",
            ["msftTenantId"] = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10",
            ["host"] = "gcp",
            ["connectors"] = """["outlook-cal"]""",
            ["gcp"] = """{"projectId":"psoxy-dev","deploymentBundle":"gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip"}""",
            ["pseudonymSalt"] = "salt-that-must-not-print",
            ["encryptionKey"] = "key-that-must-not-print",
        }), ProviderConfig.None);

        var text = settings.ToString();
        Assert.DoesNotContain("salt-that-must-not-print", text, StringComparison.Ordinal);
        Assert.DoesNotContain("key-that-must-not-print", text, StringComparison.Ordinal);
        Assert.Contains(SecretText.Masked, text, StringComparison.Ordinal);
        Assert.Equal("salt-that-must-not-print", settings.PseudonymSalt!.Reveal());
    }

    [Fact]
    public void ProjectFile_DeclaresOnlyTheRequiredKeys_AndNoDefaults_WhichLiveInTheProgram()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repository.Root, "Pulumi.yaml")))
        {
            yaml.Load(reader);
        }

        var config = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("config")];
        var declared = config.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).Order(StringComparer.Ordinal);
        Assert.Equal(ConfigKeys.Required.Select(ConfigKeys.Full).Order(StringComparer.Ordinal), declared);
        Assert.All(config.Children.Values.Cast<YamlMappingNode>(), spec => Assert.False(spec.Children.ContainsKey(new YamlScalarNode("default"))));
    }

    [Fact]
    public async Task Resources_GetTheirRealParents_AndTheUrnsTheEngineWouldAssign()
    {
        var recorder = new StackRecorder();
        var run = await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal"), stackOptions: recorder.StackOptions);
        var graph = recorder.Graph(StackRun.ProjectName, StackRun.StackName);
        string Urn(string name) => graph.UrnOf(graph.Declared.Single(d => d.Name == name));

        // Top-level resources have no parent in a transformation: they belong to the stack.
        var host = graph.Declared.Single(d => d.Name == "gcp");
        Assert.Null(StackGraph.ParentOf(host));
        Assert.Equal("urn:pulumi:test::psoxy::pulumi:pulumi:Stack::psoxy-test", graph.StackUrn);
        Assert.Equal(graph.StackUrn, graph.ParentUrnOf(host));
        Assert.Equal("urn:pulumi:test::psoxy::psoxy:gcp:Host::gcp", Urn("gcp"));
        Assert.Equal("urn:pulumi:test::psoxy::psoxy:gcp:Host$psoxy:gcp:ProxyInstance$gcp:cloudfunctionsv2/function:Function::outlook-cal-function", Urn("outlook-cal-function"));
        Assert.Equal("urn:pulumi:test::psoxy::psoxy:proxy:SharedSecrets$random:index/randomPassword:RandomPassword::shared-secrets-pseudonym-salt", Urn("shared-secrets-pseudonym-salt"));

        // Pulumi's mock monitor names children differently from the engine (only the first type of the chain), which
        // is why the URNs are computed: the engine's are the ones that must not change.
        var function = run.Resources.Single(r => r.GetResourceName() == "outlook-cal-function");
        Assert.NotEqual(Urn("outlook-cal-function"), await OutputUtilities.GetValueAsync(function.Urn));
    }

    [Fact]
    public async Task Dependencies_AreTheResourcesWhoseOutputsTheInputsCarry()
    {
        var recorder = new StackRecorder();
        await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal"), preview: true, stackOptions: recorder.StackOptions);
        var graph = recorder.Graph(StackRun.ProjectName, StackRun.StackName);
        var credential = graph.Declared.Single(d => d.Name == "outlook-cal-federated-credential");

        var dependencies = await graph.DependenciesAsync(credential, await StackRecorder.InspectInputsAsync(credential.Args));

        // The application's id and the service account's unique id: nothing else.
        Assert.Equal(["outlook-cal", "outlook-cal-service-account"], dependencies.Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    public async Task FailedTargetCheck_WithEveryConnector_ReportsOneErrorAndCreatesNothing(string host)
    {
        FakeCloud cloud;
        Dictionary<string, object> config;
        string expected;
        if (host == "aws")
        {
            cloud = new FakeCloud { AwsAccountId = "210987654321" };
            config = StackRun.AwsConfig(AllConnectors);
            expected = "psoxy:aws.accountId is '123456789012' but the AWS credentials are for account '210987654321'";
        }
        else
        {
            cloud = new FakeCloud { GcpProviderProject = "someone-elses-project" };
            config = StackRun.GcpConfig(AllConnectors);
            expected = "the GCP provider targets project 'someone-elses-project'";
        }

        foreach (var preview in new[] { true, false })
        {
            var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(config, preview: preview, cloud: cloud));

            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", e.Message, StringComparison.Ordinal);
            Assert.Empty(cloud.Resources);
        }
    }

    [Fact]
    public async Task Preview_LeavesComputedValuesUnknown_AndSecretsSecret()
    {
        var config = StackRun.AwsConfig("outlook-cal");
        var recorder = new StackRecorder();
        await StackRun.RunAsync(config, preview: true, mocks: new PreviewCloud(), stackOptions: recorder.StackOptions);

        var function = recorder.Declared.Single(d => d.Name == "outlook-cal-function");
        var facts = await StackRecorder.InspectInputsAsync(function.Args);
        Assert.Contains("role", facts.UnknownPaths);
        var salt = recorder.Declared.Single(d => d.Name == "aws-pseudonym-salt");
        Assert.Contains("value", (await StackRecorder.InspectInputsAsync(salt.Args)).SecretPaths);
    }
}
