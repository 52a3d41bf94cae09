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
        { ["plan", "-s", "stacks/Pulumi.prod-aws.yaml"], "--stack 'stacks/Pulumi.prod-aws.yaml' is a stack file, not a stack name: give the file with -c (--config-file stacks/Pulumi.prod-aws.yaml), or the name with --stack prod-aws" },
        { ["plan", "-s", "prod aws"], "--stack 'prod aws' is not a stack name" },
        { ["plan", "--stack=prod:aws"], "--stack 'prod:aws' is not a stack name" },
        { ["plan", "-s", "my stack"], "--stack 'my stack' is not a stack name Pulumi accepts: it holds a space; a stack name may hold only letters, digits, hyphens, underscores and periods" },
        { ["plan", "-s", new string('d', 101)], "the stack name has 101 characters; Pulumi allows at most 100" },
        { ["plan", "-s", "acme/other/prod-aws"], "it names the project 'other', but this project is 'psoxy' (Pulumi.yaml: name: psoxy); write acme/psoxy/prod-aws" },
        { ["plan", "-s", "acme/psoxy/prod/aws"], "it has 3 slashes; allowed forms: stack, org/stack or org/project/stack" },
        { ["plan", "-s", "acme//prod-aws"], "a part between slashes is empty" },
        { ["plan", "-s", "acme/psoxy/nope"], "--stack 'nope': no stack file Pulumi.nope.yaml" },
        { ["plan", "-s", "prod-aws", "-c", "stacks/Pulumi.legacy-cert.yaml"], "--stack 'prod-aws' and --config-file 'stacks/Pulumi.legacy-cert.yaml' name different stacks" },
        { ["plan", "--out", "README.md"], "--out 'README.md' is a file" },
        { ["plan", "--state"], "'--state'" },
        { ["plan", "--state", "nothere.json"], "--state 'nothere.json': cannot read it" },
        { ["plan", "--state", "README.md"], "--state 'README.md': not valid JSON" },
        { ["plan", "--expect-no-changes"], "--expect-no-changes needs --state FILE" },
        { ["plan", "--out", "/proc/psoxy-plan"], "--out '/proc/psoxy-plan': cannot create the directory" },
        { ["plan", "--compact=maybe"], "'maybe'" },
        { ["plan", "--environment-values"], "'--environment-values'" },
        { ["plan", "--environment-values", "nothere.json"], "--environment-values 'nothere.json' does not exist" },
        { ["plan", "--environment-values", "stacks"], "--environment-values 'stacks' is a directory" },
        { ["plan", "--environment-values", "README.md"], "--environment-values 'README.md' is not JSON" },
        { ["plan", "--environment-values", "Pulumi.yaml"], "--environment-values 'Pulumi.yaml' is not JSON" },
        { ["pln"], "'pln'" },
        { ["deploy"], "'deploy'" },
        { ["up"], "'up'" },
        { ["plan", "plan"], "'plan'" },
        { ["--stack", "dev"], "'--stack'" },
        { ["plan", "@args.txt"], "'@args.txt'" },
        { ["verify"], "pass exactly one of --outputs FILE and --stack NAME" },
        { ["verify", "--stack", "my stack"], "--stack 'my stack' is not a stack name Pulumi accepts: it holds a space" },
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
    [InlineData("Pulumi.my stack.yaml", "the stack name 'my stack' taken from the file's name is not a stack name Pulumi accepts: it holds a space")]
    [InlineData("Pulumi.prod:eu.yaml", "the stack name 'prod:eu' taken from the file's name is not a stack name Pulumi accepts: it holds ':'")]
    public async Task AStackFileNamedForAStackPulumiRefuses_ExitsTwo_SayingWhy(string fileName, string expected)
    {
        var directory = Path.Combine(Path.GetTempPath(), "psoxy-stack-names", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        File.Copy(Path.Combine(Repository.Root, "stacks", "Pulumi.prod-aws.yaml"), path);
        try
        {
            var (exit, stdout, stderr) = await RunAsync("plan", "--config-file", path);

            Assert.Equal(ExitCodes.InvalidInput, exit);
            Assert.Contains(expected, stderr, StringComparison.Ordinal);
            Assert.Empty(stdout);

            // Renamed as the message says, the same file plans.
            var renamed = Path.Combine(directory, "Pulumi.prod-eu.yaml");
            File.Move(path, renamed);
            Assert.Equal(ExitCodes.Success, (await RunAsync("plan", "--config-file", renamed)).Exit);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--stak", "--stack")]
    [InlineData("--formt", "--format")]
    [InlineData("--confg-file", "--config-file")]
    public async Task AMisspeltOption_GetsASuggestion(string typed, string suggested)
    {
        var (exit, _, stderr) = await RunAsync("plan", typed, "x");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"'{typed}': did you mean {suggested}?", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("-x")]
    [InlineData("--verbose")]
    public async Task AnUnknownOption_FarFromEveryName_GetsNoSuggestion(string typed)
    {
        var (exit, _, stderr) = await RunAsync("plan", typed);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"'{typed}'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", stderr, StringComparison.OrdinalIgnoreCase);
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
        { ["plan", "-s", "acme/prod-aws"] },
        { ["plan", "-s", "acme/psoxy/prod-aws"] },
        { ["plan", "-s", "acme/psoxy/prod-aws", "-c", "stacks/Pulumi.prod-aws.yaml"] },
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
        foreach (var option in new[] { "-s, --stack", "-c, --config-file", "-f, --format", "-o, --out", "--compact", "--environment-values" })
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
