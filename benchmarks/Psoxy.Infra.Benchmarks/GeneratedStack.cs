using System.Text.Json;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Planning;

namespace Psoxy.Infra.Benchmarks;

/// <summary>
/// A valid stack on one host with the first <see cref="Connectors"/> connectors of the catalog, built in memory
/// (no stack file), so that the benchmark and the counts stay in step with the catalog and the hosts.
/// </summary>
public sealed record GeneratedStack(string Host, int Connectors)
{
    public const string TenantId = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10";
    public const string AwsAccountId = "123456789012";
    public const string AwsBundle = "s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar";
    public const string GcpProjectId = "psoxy-bench";
    public const string GcpBundle = "gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip";

    public static IReadOnlyList<string> Hosts { get; } = ["aws", "gcp"];

    /// <summary>
    /// The distinct connectors a stack can enable: 6. The catalog's 7th id, <c>azure-ad</c>, is a deprecated alias of
    /// <c>msft-entra-id</c>, and a stack listing both is rejected as a duplicate, so no valid stack has 7.
    /// </summary>
    public static int MaxConnectors => ConnectorCatalog.All.Count;

    /// <summary>Every host with 1 to <see cref="MaxConnectors"/> connectors.</summary>
    public static IEnumerable<GeneratedStack> All =>
        Hosts.SelectMany(host => Enumerable.Range(1, MaxConnectors).Select(n => new GeneratedStack(host, n)));

    public string StackName => $"bench-{Host}-{Connectors}";

    public IReadOnlyList<string> ConnectorIds => ConnectorCatalog.All.Take(Connectors).Select(c => c.Id).ToList();

    /// <summary>The configuration as Pulumi hands it to the program: full keys, lists and objects as JSON text.</summary>
    internal StackFile ToStackFile()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["psoxy:environment"] = "bench",
            ["psoxy:msftTenantId"] = TenantId,
            ["psoxy:host"] = Host,
            ["psoxy:connectors"] = JsonSerializer.Serialize(ConnectorIds),
        };
        switch (Host)
        {
            case "aws":
                values["psoxy:aws"] = JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["accountId"] = AwsAccountId,
                    ["region"] = "us-east-1",
                    ["deploymentBundle"] = AwsBundle,
                });
                values["aws:region"] = "us-east-1";
                break;
            case "gcp":
                values["psoxy:gcp"] = JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["projectId"] = GcpProjectId,
                    ["region"] = "us-central1",
                    ["deploymentBundle"] = GcpBundle,
                });
                values["gcp:project"] = GcpProjectId;
                values["gcp:region"] = "us-central1";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Host), Host, "allowed: aws or gcp");
        }

        return StackFile.FromValues(values);
    }

    /// <summary>The stack file's warnings (beta and alpha connectors); throws if the configuration is invalid.</summary>
    internal static IReadOnlyList<string> Validate(StackFile stack) => stack.ReadSettings().Warnings;

    /// <summary>Runs the offline plan of this stack, exactly as <c>plan</c> does after validating the stack file.</summary>
    internal Task<Plan> PlanAsync()
    {
        var stack = ToStackFile();
        return OfflinePlan.PlanAsync(StackName, $"(generated: {Host}, {Connectors} connectors)", stack, Validate(stack));
    }

    public override string ToString() => $"{Host} x{Connectors}";
}
