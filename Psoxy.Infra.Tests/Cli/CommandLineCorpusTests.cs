using System.Diagnostics;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Cli;

/// <summary>
/// Mistaken command lines, as a new user types them: each ends with exit code 2 (or 0 for help) and a message naming
/// the option or value, never a stack trace.
/// </summary>
public sealed class CommandLineCorpusTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => CommandRun.RunAsync(args);

    public static TheoryData<string[], string> Mistakes => new()
    {
        { ["plan", "-s"], "'-s'" },
        { ["plan", "--stack"], "'--stack'" },
        { ["plan", "--stak", "dev"], "'--stak'" },
        { ["plan", "--stacks", "dev"], "'--stacks'" },
        { ["plan", "-f", "yaml"], "'yaml'" },
        { ["plan", "--format", "YAML"], "'YAML'" },
        { ["plan", "--format=html"], "'html'" },
        { ["plan", "--format"], "'--format'" },
        { ["plan", "-x"], "'-x'" },
        { ["plan", "dev"], "'dev'" },
        { ["plan", "--config-file"], "'--config-file'" },
        { ["plan", "-c", "nothere.yaml"], "--config-file 'nothere.yaml': no such file" },
        { ["plan", "-c", "stacks"], "--config-file 'stacks' is a directory" },
        { ["plan", "-s", "nope"], "--stack 'nope': no stack file Pulumi.nope.yaml" },
        { ["plan", "-s", "prod aws"], "--stack 'prod aws' is not a stack name" },
        { ["plan", "--stack=prod:aws"], "--stack 'prod:aws' is not a stack name" },
        { ["plan", "-s", "prod-aws", "-c", "stacks/Pulumi.legacy-cert.yaml"], "--stack 'prod-aws' and --config-file 'stacks/Pulumi.legacy-cert.yaml' name different stacks" },
        { ["plan", "--out", "README.md"], "--out 'README.md' is a file" },
        { ["plan", "--state"], "'--state'" },
        { ["plan", "--state", "nothere.json"], "--state 'nothere.json': cannot read it" },
        { ["plan", "--state", "README.md"], "--state 'README.md': not valid JSON" },
        { ["plan", "--expect-no-changes"], "--expect-no-changes needs --state FILE" },
        { ["plan", "--out", "/proc/psoxy-plan"], "--out '/proc/psoxy-plan': cannot create the directory" },
        { ["plan", "--compact=maybe"], "'maybe'" },
        { ["pln"], "'pln'" },
        { ["deploy"], "'deploy'" },
        { ["up"], "'up'" },
        { ["plan", "plan"], "'plan'" },
        { ["--stack", "dev"], "'--stack'" },
        { ["plan", "@args.txt"], "'@args.txt'" },
        { ["verify"], "pass exactly one of --outputs FILE and --stack NAME" },
        { ["verify", "--outputs", "-", "--format", "yaml"], "--format must be text or json, not 'yaml'" },
        { ["verify", "--outputs", "-", "--timeout", "-5"], "--timeout must be a whole number of seconds" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Mistake_ExitsTwo_NamingTheOptionOrValue(string[] args, string named)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.True(exit == ExitCodes.InvalidInput, $"exit {exit}: {stderr}");
        Assert.Contains(named, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr + stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Theory]
    [InlineData("--stak", "--stack")]
    [InlineData("--formt", "--format")]
    [InlineData("--confg-file", "--config-file")]
    public async Task AMisspeltOption_GetsASuggestion(string typed, string suggested)
    {
        var (exit, _, stderr) = await RunAsync("plan", typed, "x");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"'{typed}' was not matched. Did you mean one of the following?", stderr, StringComparison.Ordinal);
        Assert.Contains(suggested, stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string[]> Accepted => new()
    {
        { ["plan", "-s", "prod-aws"] },
        { ["plan", "--stack=prod-aws"] },
        { ["plan", "--stack", "legacy-cert", "--format", "json"] },
        { ["plan", "-f", "markdown"] },
        { ["plan", "--format=mermaid"] },
        { ["plan", "-c", "stacks/Pulumi.prod-aws.yaml"] },
        { ["plan", "-s", "prod-aws", "-c", "stacks/Pulumi.prod-aws.yaml"] },
        { ["plan", "--compact"] },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Accepted_Plans(string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.True(exit == ExitCodes.Success, stderr);
        Assert.NotEmpty(stdout);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public async Task Help_AtTheTopLevel_ListsTheCommands(string help)
    {
        var (exit, stdout, _) = await RunAsync(help);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("plan", stdout, StringComparison.Ordinal);
        Assert.Contains("pulumi up", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_OfPlan_ListsEveryOption()
    {
        var (exit, stdout, _) = await RunAsync("plan", "--help");

        Assert.Equal(ExitCodes.Success, exit);
        foreach (var option in new[] { "-s, --stack", "-c, --config-file", "-f, --format", "-o, --out", "--compact" })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        var (exit, stdout, _) = await RunAsync("--version");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
    }

    [Fact]
    public async Task TheProgram_WithoutThePulumiEngine_SaysHowToRunIt_AndExitsOne()
    {
        var assembly = typeof(PsoxyStack).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        start.Environment.Remove("PULUMI_MONITOR");
        start.Environment.Remove("PULUMI_ENGINE");
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(ExitCodes.Failure, process.ExitCode);
        Assert.Equal(PulumiEngine.MissingMessage, stderr.Trim());
        Assert.Empty(stdout);
        Assert.Contains("pulumi up", stderr, StringComparison.Ordinal);
        Assert.Contains("-- plan", stderr, StringComparison.Ordinal);
    }
}
