using Psoxy.Infra.Cli;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Cli;

/// <summary>
/// Stacks that import Pulumi ESC environments: planned with a warning naming them, or with their opened values
/// (<c>--environment-values</c>) merged as Pulumi merges them.
/// </summary>
public sealed class EnvironmentImportTests : IDisposable
{
    private const string Tenant = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10";

    private const string Complete = $"""
        environment:
          - psoxy/prod-secrets
        config:
          psoxy:environment: dev
          psoxy:msftTenantId: {Tenant}
          psoxy:host: gcp
          psoxy:connectors:
            - outlook-cal
          psoxy:gcp:
            projectId: psoxy-dev-example
            deploymentBundle: gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip
          gcp:project: psoxy-dev-example

        """;

    // The tenant and the connectors come from the environments; `imports:` is the mapping form.
    private const string Incomplete = """
        environment:
          imports:
            - psoxy/common
            - psoxy/prod-secrets
        config:
          psoxy:environment: dev
          psoxy:host: gcp
          psoxy:gcp:
            projectId: psoxy-dev-example
            deploymentBundle: gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip
          gcp:project: psoxy-dev-example

        """;

    private const string Salt = "salt-from-esc-never-shown";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "psoxy-esc", Guid.NewGuid().ToString("N"));

    public EnvironmentImportTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task ACompleteStack_ImportingAnEnvironment_PlansWithAWarningNamingIt()
    {
        var (exit, stdout, _) = await CommandRun.RunAsync("plan", "-c", Write("Pulumi.esc.yaml", Complete));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("warning: This stack imports the Pulumi ESC environment psoxy/prod-secrets: its values are not resolved offline", stdout, StringComparison.Ordinal);
        Assert.Contains("--environment-values", stdout, StringComparison.Ordinal);
        Assert.Contains("Resources to create", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStackMissingKeysTheEnvironmentsMaySupply_IsWarnedAbout_NotRefused()
    {
        var (exit, stdout, stderr) = await CommandRun.RunAsync("plan", "-c", Write("Pulumi.esc.yaml", Incomplete));

        Assert.True(exit == ExitCodes.Success, stderr);
        Assert.Contains("not planned offline", stdout, StringComparison.Ordinal);
        Assert.Contains("psoxy/common, psoxy/prod-secrets", stdout, StringComparison.Ordinal);
        Assert.Contains("Not set in the stack file, so not checked (the environments may supply them): psoxy:msftTenantId, psoxy:connectors.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherProblems_OfAStackImportingEnvironments_StillExitTwo()
    {
        var yaml = Incomplete.Replace("psoxy:host: gcp", "psoxy:host: azure", StringComparison.Ordinal);

        var (exit, stdout, stderr) = await CommandRun.RunAsync("plan", "-c", Write("Pulumi.esc.yaml", yaml));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Empty(stdout);
        Assert.Contains("psoxy:host = 'azure'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("psoxy:msftTenantId is not set", stderr, StringComparison.Ordinal);
        Assert.Contains("not checked (the environments may supply them): psoxy:msftTenantId, psoxy:connectors", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvironmentValues_AreMergedAsPulumiMergesThem_TheStackFileWinning_SecretsKeptSecret()
    {
        var values = Write("env.json", $$"""
            {
              "environmentVariables": { "AWS_REGION": "us-east-1" },
              "pulumiConfig": {
                "psoxy:msftTenantId": "{{Tenant}}",
                "connectors": ["outlook-cal", "msft-teams"],
                "pseudonymSalt": "{{Salt}}",
                "psoxy:environment": "fromesc",
                "gcp:project": "psoxy-dev-example"
              }
            }
            """);

        var (exit, stdout, stderr) = await CommandRun.RunAsync("plan", "-c", Write("Pulumi.esc.yaml", Incomplete), "--environment-values", values, "--format", "json");

        Assert.True(exit == ExitCodes.Success, stderr);
        Assert.DoesNotContain("not resolved offline", stdout, StringComparison.Ordinal);
        Assert.Contains("\"dev-msft-teams\"", stdout, StringComparison.Ordinal);   // the connectors from the environment
        Assert.DoesNotContain("fromesc", stdout, StringComparison.Ordinal);        // psoxy:environment of the stack file wins
        Assert.DoesNotContain(Salt, stdout + stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("environment:\n  - psoxy/common\n  - psoxy/prod-secrets\n")]
    [InlineData("environment: [psoxy/common, psoxy/prod-secrets, psoxy/common]\n")]
    [InlineData("environment:\n  imports:\n    - psoxy/common\n    - psoxy/prod-secrets: { merge: false }\n")]
    public void TheImports_OfEitherForm_AreReadInOrder(string environment)
    {
        var file = StackFile.Load(Write("Pulumi.esc.yaml", environment + Complete[Complete.IndexOf("config:", StringComparison.Ordinal)..]), "psoxy");

        Assert.Equal(["psoxy/common", "psoxy/prod-secrets"], file.EnvironmentImports);
    }

    [Fact]
    public void LaterEnvironments_WinOverEarlierOnes()
    {
        var first = EnvironmentValues.Load(Write("a.json", """{ "pulumiConfig": { "host": "aws", "auth": "federated" } }"""), "psoxy");
        var second = EnvironmentValues.Load(Write("b.json", """{ "pulumiConfig": { "psoxy:host": "gcp", "aws:region": "eu-west-1", "n": 3, "b": true } }"""), "psoxy");

        var merged = EnvironmentValues.Merge([first, second]);

        Assert.Equal("gcp", merged.Values["psoxy:host"]);
        Assert.Equal("federated", merged.Values["psoxy:auth"]);
        Assert.Equal("eu-west-1", merged.Values["aws:region"]);
        Assert.Equal("3", merged.Values["psoxy:n"]);
        Assert.Equal("true", merged.Values["psoxy:b"]);
    }

    [Theory]
    [InlineData("not json {", "is not JSON (line 1")]
    [InlineData("[1, 2]", "does not hold a JSON object")]
    [InlineData("""{ "environmentVariables": {} }""", "has no pulumiConfig")]
    [InlineData("""{ "pulumiConfig": "psoxy:host=gcp" }""", "has a pulumiConfig that is not an object")]
    [InlineData("""{ "pulumiConfig": { "a:b:c": "x" } }""", "has the pulumiConfig key 'a:b:c', which is not a configuration key")]
    public async Task ABadEnvironmentValuesFile_ExitsTwo_NamingTheOptionAndFile(string content, string expected)
    {
        var values = Write("env.json", content);

        var (exit, stdout, stderr) = await CommandRun.RunAsync("plan", "-c", Write("Pulumi.esc.yaml", Complete), "--environment-values", values);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Empty(stdout);
        Assert.Contains($"--environment-values '{values}' {expected}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnvironmentValues_ForAStackImportingNone_AreWarnedAbout()
    {
        var values = Write("env.json", """{ "pulumiConfig": { "pseudonymSalt": "0123456789abcdef" } }""");
        var yaml = Complete.Replace("environment:\n  - psoxy/prod-secrets\n", string.Empty, StringComparison.Ordinal);

        var (exit, stdout, _) = await CommandRun.RunAsync("plan", "-c", Write("Pulumi.esc.yaml", yaml), "--environment-values", values);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("imports no Pulumi ESC environment", stdout, StringComparison.Ordinal);
    }
}
