using Psoxy.Infra.Cli;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>
/// A user adds an environment as README says: a stack file of their own account, region or project. Everything the
/// tests check over "every stack file" works for it, and its missing snapshot asks for exactly the command that
/// records it.
/// </summary>
public sealed class NewEnvironmentTests
{
    public static TheoryData<string, string[]> NewStackFiles => new()
    {
        {
            "stacks/Pulumi.prod-aws.yaml",
            ["psoxy:environment: prod|psoxy:environment: acme-eu", "\"123456789012\" # EXAMPLE: the AWS account|\"210987654321\" # the AWS account",
             "region: us-east-1|region: eu-west-1", "psoxy-public-artifacts-us-east-1|psoxy-public-artifacts-eu-west-1"]
        },
        {
            "Pulumi.dev.yaml",
            ["psoxy:environment: dev|psoxy:environment: acme-dev", "psoxy-dev-example|acme-psoxy-dev", "region: us-central1|region: europe-west1"]
        },
    };

    [Theory]
    [MemberData(nameof(NewStackFiles))]
    public async Task ANewStackFile_PassesEveryStackFileCheck_AndAsksForItsSnapshot(string template, string[] edits)
    {
        var directory = Directory.CreateTempSubdirectory("psoxy-new-env-");
        try
        {
            var text = await File.ReadAllTextAsync(Path.Combine(Repository.Root, template));
            foreach (var edit in edits)
            {
                var (from, to) = (edit.Split('|')[0], edit.Split('|')[1]);
                Assert.Contains(from, text, StringComparison.Ordinal);
                text = text.Replace(from, to, StringComparison.Ordinal);
            }

            var stackFile = Path.Combine(directory.FullName, "Pulumi.acme.yaml");
            await File.WriteAllTextAsync(stackFile, text);

            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await Repository.InRootAsync(() => PsoxyCommandLine.RunAsync(["plan", "--config-file", stackFile], new CommandOutput(stdout, stderr, false)));
            Assert.True(exit == ExitCodes.Success, stderr.ToString());

            await SecurityInvariantTests.AssertHoldForStackFileAsync(stackFile);

            var missing = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => new ReplacementSnapshotTests().EveryStackFile_MatchesItsCommittedSnapshot(stackFile));
            Assert.Contains("PSOXY_UPDATE_SNAPSHOTS=1 dotnet test --filter \"FullyQualifiedName~ReplacementSnapshotTests\"", missing.Message, StringComparison.Ordinal);
            Assert.Contains("Pulumi.acme.yaml.snapshot", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
