using System.Collections.Immutable;
using System.Text.Json;
using Psoxy.Infra.Planning;
using Pulumi;
using Pulumi.Testing;
using Pulumi.Utilities;

namespace Psoxy.Infra.Tests.Testing;

/// <summary>Runs <see cref="PsoxyStack"/> under <see cref="FakeCloud"/> with the given stack configuration.</summary>
internal sealed class StackRun
{
    private StackRun(ImmutableArray<Resource> resources, FakeCloud cloud)
    {
        Resources = resources;
        Cloud = cloud;
    }

    public ImmutableArray<Resource> Resources { get; }
    public FakeCloud Cloud { get; }
    public PsoxyStack Stack => Resources.OfType<PsoxyStack>().Single();

    /// <summary>A valid GCP stack configuration to start tests from (full keys).</summary>
    public static Dictionary<string, object> GcpConfig(params string[] connectors) => new()
    {
        ["psoxy:environment"] = "test",
        ["psoxy:msftTenantId"] = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10",
        ["psoxy:host"] = "gcp",
        ["psoxy:connectors"] = connectors.Length == 0 ? new[] { "outlook-cal" } : connectors,
        ["psoxy:gcp"] = new Dictionary<string, object>
        {
            ["projectId"] = GcpProjectId,
            ["deploymentBundle"] = GcpBundle,
        },
        ["gcp:project"] = GcpProjectId,
    };

    public const string GcpProjectId = "psoxy-test";
    public const string GcpBundle = "gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip";
    public const string AwsAccountId = "123456789012";
    public const string AwsBundle = "s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar";

    /// <summary>A valid AWS stack configuration to start tests from (full keys).</summary>
    public static Dictionary<string, object> AwsConfig(params string[] connectors) => new()
    {
        ["psoxy:environment"] = "test",
        ["psoxy:msftTenantId"] = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10",
        ["psoxy:host"] = "aws",
        ["psoxy:connectors"] = connectors.Length == 0 ? new[] { "outlook-cal" } : connectors,
        ["psoxy:aws"] = new Dictionary<string, object>
        {
            ["accountId"] = AwsAccountId,
            ["deploymentBundle"] = AwsBundle,
        },
        ["aws:region"] = "us-east-1",
    };

    public const string ProjectName = "psoxy";
    public const string StackName = "test";

    /// <summary>
    /// Runs the whole program as Pulumi's test runner does, with the configuration in <c>PULUMI_CONFIG</c>;
    /// <paramref name="stackOptions"/> reach the stack through Pulumi's dependency injection.
    /// </summary>
    public static async Task<StackRun> RunAsync(IDictionary<string, object> config, bool preview = false, FakeCloud? cloud = null,
        IEnumerable<string>? secretKeys = null, IMocks? mocks = null, StackOptions? stackOptions = null)
    {
        cloud ??= new FakeCloud();
        // Pulumi passes structured values as JSON text and scalars as plain strings.
        var values = config.ToDictionary(kv => kv.Key, kv => kv.Value as string ?? JsonSerializer.Serialize(kv.Value));
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(values));
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", JsonSerializer.Serialize(secretKeys ?? []));
        var options = new TestOptions { IsPreview = preview, ProjectName = ProjectName, StackName = StackName };
        var resources = stackOptions is null
            ? await Deployment.TestAsync<PsoxyStack>(mocks ?? cloud, options)
            : await Deployment.TestWithServiceProviderAsync<PsoxyStack>(mocks ?? cloud, new PsoxyStackFactory(stackOptions), options);
        return new StackRun(resources, cloud);
    }

    /// <summary>The inputs the provider received for one resource, by type token and logical name.</summary>
    public ImmutableDictionary<string, object> Inputs(string type, string name) =>
        Cloud.Resources.Single(r => r.Type == type && r.Name == name).Inputs;

    public IEnumerable<MockResourceArgs> OfType(string type) => Cloud.Resources.Where(r => r.Type == type);
}

internal static class OutputExtensions
{
    public static Task<T> ValueAsync<T>(this Output<T> output) => OutputUtilities.GetValueAsync(output);
}
