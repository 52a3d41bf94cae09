using Psoxy.Infra.Configuration;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

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

    internal static async Task<Plan> PlanAsync(string stackFile, params ResourceTransformation[] changes) => await Repository.InRootAsync(async () =>
    {
        var config = StackFile.Load(stackFile, "psoxy");
        return await OfflinePlan.PlanAsync(ProjectPaths.StackNameOf(stackFile), stackFile, config, [], changes);
    });

    /// <summary>What a new stack file without a snapshot fails with: the exact command that records it.</summary>
    internal static string MissingSnapshotMessage(string stackFile) =>
        $"No replacement snapshot for {stackFile} yet. Review its plan (dotnet run --project Psoxy.Infra -- plan --config-file {stackFile}), then record the snapshot: "
        + $"{UpdateVariable}=1 dotnet test --filter \"FullyQualifiedName~ReplacementSnapshotTests\" and commit Psoxy.Infra.Tests/Safety/Snapshots/{Path.GetFileName(stackFile)}.snapshot.";

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

        Assert.True(File.Exists(path), MissingSnapshotMessage(stackFile));
        var diff = ReplacementSnapshot.Diff(await File.ReadAllTextAsync(path), actual);
        Assert.True(diff.Count == 0,
            $"{stackFile}: resources would be deleted, renamed or replaced:\n{string.Join('\n', diff)}\n" +
            $"If this is deliberate, add aliases for renames and update the snapshot with {UpdateVariable}=1.");
    }

    [Fact]
    public async Task ARename_IsReported()
    {
        var snapshot = ReplacementSnapshot.Of(await PlanAsync("Pulumi.dev.yaml"));
        const string Function = "urn:pulumi:dev::psoxy::psoxy:gcp:Host$psoxy:gcp:ProxyInstance$gcp:cloudfunctionsv2/function:Function::outlook-cal-function";
        Assert.Contains(Function + "\n", snapshot, StringComparison.Ordinal);

        var renamed = snapshot.Replace(Function + "\n", Function.Replace("::outlook-cal-function", "::outlook-cal-fn", StringComparison.Ordinal) + "\n", StringComparison.Ordinal);

        Assert.Contains($"- {Function}   (deleted or renamed/re-parented: add an alias)", ReplacementSnapshot.Diff(snapshot, renamed));
        Assert.Empty(ReplacementSnapshot.Diff(snapshot, snapshot));
    }

    [Fact]
    public async Task AReparenting_IsReported()
    {
        var snapshot = ReplacementSnapshot.Of(await PlanAsync("Pulumi.dev.yaml"));
        // The same service account moved from its proxy instance to the host: its URN's type chain changes.
        const string Account = "urn:pulumi:dev::psoxy::psoxy:gcp:Host$psoxy:gcp:ProxyInstance$gcp:serviceaccount/account:Account::outlook-cal-service-account";
        var reparented = snapshot.Replace(Account, Account.Replace("$psoxy:gcp:ProxyInstance", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        Assert.Contains($"- {Account}   (deleted or renamed/re-parented: add an alias)", ReplacementSnapshot.Diff(snapshot, reparented));
    }

    [Fact]
    public async Task AReplacementForcingInputChange_InTheProgram_IsReported()
    {
        var snapshot = ReplacementSnapshot.Of(await PlanAsync("Pulumi.dev.yaml"));
        // A program change that would give the function another name: Cloud Functions replaces the function.
        ResourceTransformation rename = args =>
        {
            if (args.Args is Pulumi.Gcp.CloudFunctionsV2.FunctionArgs function && args.Resource.GetResourceName() == "outlook-cal-function")
            {
                function.Name = "dev-outlook-calendar";
            }

            return null;
        };

        var diff = ReplacementSnapshot.Diff(snapshot, ReplacementSnapshot.Of(await PlanAsync("Pulumi.dev.yaml", rename)));

        // The function, and the invoker binding that names it.
        Assert.Equal(
            [
                "~ urn:pulumi:dev::psoxy::psoxy:gcp:Host$psoxy:gcp:ProxyInstance$gcp:cloudfunctionsv2/function:Function::outlook-cal-function   (replaced)",
                "-   name = \"dev-outlook-cal\"",
                "+   name = \"dev-outlook-calendar\"",
                "~ urn:pulumi:dev::psoxy::psoxy:gcp:Host$psoxy:gcp:ProxyInstance$gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding::outlook-cal-invokers   (replaced)",
                "-   name = \"dev-outlook-cal\"",
                "+   name = \"dev-outlook-calendar\"",
            ],
            diff);
    }
}
