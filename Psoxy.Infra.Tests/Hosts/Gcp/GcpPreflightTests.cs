using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Hosts.Gcp;

/// <summary>A GCP stack refuses to run, before declaring anything, when its configuration cannot be deployed as asked.</summary>
public sealed class GcpPreflightTests
{
    private const string GetClientConfig = "gcp:organizations/getClientConfig:getClientConfig";

    [Fact]
    public async Task GcpProjectConfigOfAnotherProject_IsAConfigurationError_BeforeAnyCall()
    {
        // Set in the stack, the provider's project is checked with the rest of the configuration (as the plan does).
        var config = StackRun.GcpConfig("outlook-cal");
        config["gcp:project"] = "someone-elses-project";
        var cloud = new FakeCloud();

        var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(config, cloud: cloud));

        Assert.Equal(
            "Invalid stack configuration (1 problem); nothing was created:" + Environment.NewLine +
            "  - psoxy:gcp.projectId = 'psoxy-test': differs from gcp:project = 'someone-elses-project', the project the GCP provider deploys to; set both to the project that should host the proxies",
            e.Message);
        Assert.Empty(cloud.Resources);
        Assert.Empty(cloud.Calls);
    }

    [Fact]
    public void ProviderTargetingAnotherProject_IsRefusedByThePreflight()
    {
        // From GOOGLE_PROJECT and the like (not the stack), only the provider can tell: the preflight refuses it.
        Assert.Equal(
            "Refusing to deploy; nothing was created: psoxy:gcp.projectId = 'psoxy-test' but the GCP provider targets project 'someone-elses-project' (gcp:project or GOOGLE_PROJECT and the like): set gcp:project to the project that should host the proxies (pulumi config set gcp:project <id>) and psoxy:gcp.projectId to the same value.",
            Psoxy.Infra.Hosts.Gcp.GcpPreflight.ProjectMismatch("psoxy-test", "someone-elses-project"));
    }

    [Fact]
    public async Task ProjectIsTheOneTheProviderReports_NotJustItsConfig()
    {
        // gcp:project matches, but the provider itself says otherwise: the provider's word is what counts.
        var cloud = new FakeCloud { GcpProviderProject = "other-project" };

        var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(StackRun.GcpConfig("outlook-cal"), cloud: cloud));

        Assert.Contains("psoxy:gcp.projectId = 'psoxy-test'", e.Message, StringComparison.Ordinal);
        Assert.Contains("targets project 'other-project'", e.Message, StringComparison.Ordinal);
        Assert.Empty(cloud.Resources);
    }

    [Fact]
    public async Task CredentialsThatDoNotSayWhoseTheyAre_StopBeforeAnyResource()
    {
        // The deployer must be granted actAs on each service account, so it must be known before anything exists.
        var cloud = new FakeCloud { GcpDeployerEmail = "" };

        var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(StackRun.GcpConfig("outlook-cal"), cloud: cloud));

        Assert.Contains("getClientOpenIdUserInfo returned no email", e.Message, StringComparison.Ordinal);
        Assert.Contains("userinfo.email", e.Message, StringComparison.Ordinal);
        Assert.Empty(cloud.Resources);
    }

    [Fact]
    public async Task ProviderWithoutProject_StopsBeforeAnyResource()
    {
        var config = StackRun.GcpConfig("outlook-cal");
        config.Remove("gcp:project");
        using var variables = new ProjectVariables(null);
        var cloud = new FakeCloud();

        var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(config, cloud: cloud));

        Assert.StartsWith("Refusing to deploy; nothing was created: psoxy:gcp.projectId = 'psoxy-test' but the GCP provider has no project", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(cloud.Resources);
    }

    [Fact]
    public async Task ProviderProjectFromTheEnvironment_IsAccepted()
    {
        var config = StackRun.GcpConfig("outlook-cal");
        config.Remove("gcp:project");
        using var variables = new ProjectVariables(StackRun.GcpProjectId);

        var run = await StackRun.RunAsync(config);

        Assert.NotEmpty(run.OfType("gcp:cloudfunctionsv2/function:Function"));
    }

    [Fact]
    public async Task MatchingProject_Deploys()
    {
        var run = await StackRun.RunAsync(StackRun.GcpConfig("outlook-cal"));

        Assert.Single(run.Cloud.Calls, c => c.Token == GetClientConfig);
        Assert.Single(run.OfType("gcp:cloudfunctionsv2/function:Function"));
    }

    /// <summary>Sets GOOGLE_PROJECT (or clears every variable the provider reads) for the duration of a test.</summary>
    private sealed class ProjectVariables : IDisposable
    {
        private readonly Dictionary<string, string?> _previous =
            Psoxy.Infra.Hosts.Gcp.GcpPreflight.ProviderProjectVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

        public ProjectVariables(string? googleProject)
        {
            foreach (var variable in Psoxy.Infra.Hosts.Gcp.GcpPreflight.ProviderProjectVariables)
            {
                Environment.SetEnvironmentVariable(variable, null);
            }

            Environment.SetEnvironmentVariable("GOOGLE_PROJECT", googleProject);
        }

        public void Dispose()
        {
            foreach (var (variable, value) in _previous)
            {
                Environment.SetEnvironmentVariable(variable, value);
            }
        }
    }
}
