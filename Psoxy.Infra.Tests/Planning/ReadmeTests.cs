using System.Reflection;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Planning;

/// <summary>README.md stays true: its commands are the ones CI and users run, and its diagram is the dev stack's.</summary>
public sealed class ReadmeTests
{
    private static string Readme => File.ReadAllText(Path.Combine(Repository.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);

    [Fact]
    public void QuickStart_ShowsThePlainPlanAndTestCommands_AndCiRunsThatTestCommand()
    {
        var quickStart = Readme[Readme.IndexOf("## Quick start", StringComparison.Ordinal)..];
        Assert.Contains("dotnet run --project Psoxy.Infra -- plan ", quickStart, StringComparison.Ordinal);
        Assert.Contains("\ndotnet test ", quickStart, StringComparison.Ordinal);
        Assert.True(Readme.IndexOf("## Quick start", StringComparison.Ordinal) < Readme.IndexOf("```mermaid", StringComparison.Ordinal), "The quick start comes before the diagram.");
        var ci = File.ReadAllText(Path.Combine(Repository.Root, ".ci", "run"));
        Assert.Contains("\ndotnet test 2>&1", ci, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevStackDiagram_IsWhatThePlanDrawsToday()
    {
        var (exit, plan, _) = await CommandRun.RunAsync("plan", "--format", "mermaid");
        Assert.Equal(ExitCodes.Success, exit);

        const string Start = "<!-- dev-stack-diagram:start";
        const string End = "<!-- dev-stack-diagram:end -->";
        var readme = Readme;
        var block = readme[readme.IndexOf(Start, StringComparison.Ordinal)..readme.IndexOf(End, StringComparison.Ordinal)];
        var diagram = block[(block.IndexOf("```mermaid\n", StringComparison.Ordinal) + "```mermaid\n".Length)..block.LastIndexOf("```", StringComparison.Ordinal)];

        Assert.True(diagram == plan, "README.md's dev stack diagram is out of date: replace it with the output of `dotnet run --project Psoxy.Infra -- plan --format mermaid`.");
    }

    [Fact]
    public void DocumentsEveryConfigurationKeyTheProgramReads()
    {
        var keys = typeof(Psoxy.Infra.Configuration.ConfigKeys).GetFields()
            .Where(f => f.IsLiteral && f.Name is not "Namespace")
            .Select(f => (string)f.GetRawConstantValue()!);

        Assert.All(keys, key => Assert.Contains($"`psoxy:{key}`", Readme, StringComparison.Ordinal));
    }

    [Fact]
    public void OutputsTable_HasARowForEveryStackOutput()
    {
        var declared = typeof(PsoxyStack).GetProperties()
            .Select(p => p.GetCustomAttribute<Pulumi.OutputAttribute>()?.Name)
            .OfType<string>()
            .Where(name => name != "urn");

        var table = Readme[Readme.IndexOf("## Outputs\n", StringComparison.Ordinal)..];
        Assert.All(declared, name => Assert.Contains($"`{name}`", table[..table.IndexOf("\n## ", 1, StringComparison.Ordinal)], StringComparison.Ordinal));
    }

    [Fact]
    public void VerifySection_ComesAfterDeploying_AndBeforeEnvironments()
    {
        var deploying = Readme.IndexOf("## Deploying with Pulumi\n", StringComparison.Ordinal);
        var verify = Readme.IndexOf("## After deploying: verify\n", StringComparison.Ordinal);
        var environments = Readme.IndexOf("## Environments\n", StringComparison.Ordinal);

        Assert.True(deploying >= 0 && deploying < verify && verify < environments);
        Assert.Contains("dotnet run --project Psoxy.Infra -- verify", Readme[verify..environments], StringComparison.Ordinal);
    }

    [Fact]
    public void VerifySection_ListsEachConnectorsDataCalls_AsTheCatalogHasThem()
    {
        var verify = Readme[Readme.IndexOf("## After deploying: verify\n", StringComparison.Ordinal)..Readme.IndexOf("## Environments\n", StringComparison.Ordinal)];
        Assert.All(Psoxy.Infra.Catalog.ConnectorCatalog.All, connector =>
        {
            var row = verify.Split('\n').Single(l => l.StartsWith($"| `{connector.Id}` |", StringComparison.Ordinal));
            // Paths in catalog order; the meeting lookup's join URL is elided in the table.
            var paths = connector.DataCalls.Select(c => c.Path.Split("'", 2)[0]).ToList();
            var positions = paths.Select(p => row.IndexOf($"`{p}", StringComparison.Ordinal)).ToList();
            Assert.DoesNotContain(-1, positions);
            Assert.Equal(positions.Order(), positions);
            Assert.All(connector.DataCalls, c => Assert.Contains(c.Permission.Split(' ')[0], row, StringComparison.Ordinal));
        });
    }
}
