using System.Text.Json.Nodes;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Planning;

/// <summary>The project is the one Pulumi.yaml names, as the Pulumi CLI reads it; a stack file without a project is refused.</summary>
public sealed class ProjectNameTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("psoxy-project-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string DevStackFile(string? replace = null)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "Pulumi.dev.yaml"));
        var file = Path.Combine(_directory.FullName, "Pulumi.dev.yaml");
        File.WriteAllText(file, replace is null ? text : text.Replace("  psoxy:host: gcp", replace, StringComparison.Ordinal));
        return file;
    }

    [Fact]
    public async Task UrnsAndTheStackResource_CarryTheNameInPulumiYaml()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "Pulumi.yaml"), "name: acme-proxy\nruntime: dotnet\n");
        DevStackFile();

        var (exit, stdout, stderr) = await CommandRun.RunInAsync(_directory.FullName, "plan", "--format", "json");

        Assert.True(exit == ExitCodes.Success, stderr);
        var urns = JsonNode.Parse(stdout)!["steps"]!.AsArray().Select(s => s!["urn"]!.GetValue<string>()).ToList();
        Assert.All(urns, urn => Assert.StartsWith("urn:pulumi:dev::acme-proxy::", urn, StringComparison.Ordinal));
        Assert.Contains("urn:pulumi:dev::acme-proxy::pulumi:pulumi:Stack::acme-proxy-dev", urns);
    }

    [Fact]
    public async Task AKeyWithoutANamespace_IsInTheProjectsNamespace_AndTheErrorQuotesPulumiYamlAsItIs()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "Pulumi.yaml"), "name: acme-proxy\nruntime: dotnet\n");
        DevStackFile(replace: "  host: gcp");

        var (exit, _, stderr) = await CommandRun.RunInAsync(_directory.FullName, "plan");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("'host' is in the namespace 'acme-proxy' (this project's name, from Pulumi.yaml: name: acme-proxy;", stderr, StringComparison.Ordinal);
        Assert.Contains("write psoxy:host", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigFile_WithNoPulumiYamlAnywhere_IsRefusedWithTheFix()
    {
        var file = DevStackFile();

        var (exit, stdout, stderr) = await CommandRun.RunInAsync(_directory.FullName, "plan", "-c", file);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Empty(stdout);
        Assert.Contains($"--config-file '{file}': no Pulumi.yaml", stderr, StringComparison.Ordinal);
        Assert.Contains("Run from the project directory", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigFile_InAProjectOtherThanTheWorkingDirectorys_NamesThatProjectsDirectory()
    {
        var project = Directory.CreateDirectory(Path.Combine(_directory.FullName, "project"));
        await File.WriteAllTextAsync(Path.Combine(project.FullName, "Pulumi.yaml"), "name: acme-proxy\nruntime: dotnet\n");
        var file = Path.Combine(project.FullName, "Pulumi.dev.yaml");
        File.Copy(DevStackFile(), file);

        var (exit, _, stderr) = await CommandRun.RunInAsync(_directory.FullName, "plan", "-c", file);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"Run from the stack file's project directory, {project.FullName}.", stderr, StringComparison.Ordinal);
    }
}
