using System.Text.Json.Nodes;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Planning.State;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Planning;

/// <summary><c>plan --state</c>: the repository's stacks planned against exports of themselves as deployed, changed on purpose.</summary>
public sealed class StatePlanTests
{
    public static TheoryData<string> StackFiles => [.. Repository.StackFiles];

    private const string GcpStack = "Pulumi.dev.yaml";
    private const string AwsStack = "stacks/Pulumi.prod-aws.yaml";

    public static TheoryData<string> BothHosts => [GcpStack, AwsStack];

    private static string StackOf(string stackFile) => ProjectPaths.StackNameOf(stackFile);

    private static async Task<(int Exit, string Stdout, string Stderr)> PlanAgainstAsync(string stackFile, JsonObject export, params string[] args)
    {
        var path = await StateExports.WriteAsync(export);
        try
        {
            return await CommandRun.RunAsync(["plan", "--config-file", stackFile, "--state", path, .. args]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<JsonArray> StepsAsync(string stackFile, JsonObject export)
    {
        var (exit, stdout, stderr) = await PlanAgainstAsync(stackFile, export, "--format", "json");
        Assert.True(exit == ExitCodes.Success, stderr);
        return (JsonArray)JsonNode.Parse(stdout)!["steps"]!;
    }

    private static JsonObject Step(JsonArray steps, string urnEnd) =>
        steps.OfType<JsonObject>().Single(s => ((string)s["urn"]!).EndsWith(urnEnd, StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(StackFiles))]
    public async Task EveryRepositoryStack_PlannedAgainstAnExportOfItself_ShowsNoChange(string stackFile)
    {
        var export = await StateExports.OfAsync(stackFile, StackOf(stackFile));

        var (exit, stdout, stderr) = await PlanAgainstAsync(stackFile, export, "--expect-no-changes");

        Assert.True(exit == ExitCodes.Success, stdout + stderr);
        Assert.Contains("No changes.", stdout);
        Assert.DoesNotContain(StateExports.Ciphertext, stdout + stderr);
        Assert.DoesNotContain("pulumi:providers", stdout);
    }
}
