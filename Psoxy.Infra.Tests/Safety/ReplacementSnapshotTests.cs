using Psoxy.Infra.Configuration;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>
/// No surprise replacements: each stack file's resource URNs and replacement-forcing inputs are committed in
/// Safety/Snapshots. A change that would rename, re-parent or replace a resource fails here until the snapshot is
/// updated deliberately (PSOXY_UPDATE_SNAPSHOTS=1 dotnet test ...), and a rename must ship with an alias.
/// </summary>
public sealed class ReplacementSnapshotTests
{
    public const string UpdateVariable = "PSOXY_UPDATE_SNAPSHOTS";

    public static TheoryData<string> StackFiles => [.. Repository.StackFiles];

    private static string SnapshotPath(string stackFile) =>
        Path.Combine(Repository.Root, "Psoxy.Infra.Tests", "Safety", "Snapshots", Path.GetFileName(stackFile) + ".snapshot");

    internal static async Task<Plan> PlanAsync(string stackFile) => await Repository.InRootAsync(async () =>
    {
        var config = StackFile.Load(stackFile, Path.Combine(Repository.Root, "Pulumi.yaml"), "psoxy");
        return await OfflinePlan.PlanAsync(ProjectPaths.StackNameOf(stackFile), stackFile, config, []);
    });

    [Theory]
    [MemberData(nameof(StackFiles))]
    public async Task EveryStackFile_MatchesItsCommittedSnapshot(string stackFile)
    {
        var actual = ReplacementSnapshot.Of(await PlanAsync(stackFile));
        var path = SnapshotPath(stackFile);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, actual);
        }

        Assert.True(File.Exists(path), $"No snapshot for {stackFile}; create it deliberately with {UpdateVariable}=1.");
        var diff = ReplacementSnapshot.Diff(await File.ReadAllTextAsync(path), actual);
        Assert.True(diff.Count == 0,
            $"{stackFile}: resources would be deleted, renamed or replaced:\n{string.Join('\n', diff)}\n" +
            $"If this is deliberate, add aliases for renames and update the snapshot with {UpdateVariable}=1.");
    }

    [Fact]
    public async Task ARenameReparentOrReplacingChange_IsReported()
    {
        var plan = await PlanAsync("Pulumi.dev.yaml");
        var snapshot = ReplacementSnapshot.Of(plan);
        var application = plan.Resources.First(r => r.Type == "azuread:index/application:Application");
        var account = plan.Resources.First(r => r.Type == "gcp:serviceaccount/account:Account");

        var renamed = snapshot.Replace(application.Urn + "\n", application.Urn + "-renamed\n", StringComparison.Ordinal);
        var replaced = snapshot.Replace($"  accountId = {account.Inputs["accountId"]!.ToJsonString()}", "  accountId = \"other-id\"", StringComparison.Ordinal);

        Assert.Contains($"- {application.Urn}   (deleted or renamed/re-parented: add an alias)", ReplacementSnapshot.Diff(snapshot, renamed));
        Assert.Contains($"~ {account.Urn}   (replaced)", ReplacementSnapshot.Diff(snapshot, replaced));
        Assert.Empty(ReplacementSnapshot.Diff(snapshot, snapshot));
    }
}
