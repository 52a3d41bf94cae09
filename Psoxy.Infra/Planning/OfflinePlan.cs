using Psoxy.Infra.Configuration;
using Pulumi;
using Pulumi.Testing;

namespace Psoxy.Infra.Planning;

/// <summary>
/// The offline plan (the <c>plan</c> command's work): runs the real program in preview mode under built-in mocks, from a stack file, with no network and
/// no credentials, and prints what <c>pulumi up</c> would create and what the Entra admin will be asked to approve.
/// Runs on Pulumi's own test runner and mock monitor (<c>Deployment.TestWithServiceProviderAsync</c>), as a preview.
/// </summary>
internal static class OfflinePlan
{
    /// <summary>Runs the program in preview mode under <see cref="PlanMocks"/> and builds the plan from what it declared.</summary>
    /// <param name="changes">Transformations applied after the recorder's, to see what a change to the program would plan.</param>
    internal static async Task<Plan> PlanAsync(string stackName, string stackFileLabel, StackFile config, IReadOnlyList<string> warnings,
        IEnumerable<ResourceTransformation>? changes = null, State.DeployedState? state = null, string? deployerObjectId = null)
    {
        config.ExportToEnvironment();
        // URNs carry the project's name, as `pulumi up` run from the project directory gives them.
        var projectName = ProjectPaths.ProjectName();
        var recorder = new StackRecorder();
        var mocks = new PlanMocks(config.Values, state, (type, name) => recorder.AliasUrnsAsync(projectName, stackName, type, name), deployerObjectId);
        var options = recorder.StackOptions;
        options.ResourceTransformations.AddRange(changes ?? []);
        var resources = await Deployment.TestWithServiceProviderAsync<PsoxyStack>(mocks, new PsoxyStackFactory(options), new TestOptions
        {
            IsPreview = true,
            ProjectName = projectName,
            StackName = stackName,
        }).ConfigureAwait(false);
        var stack = resources.OfType<PsoxyStack>().Single();
        var shapes = await ShapesAsync(projectName, stackName, mocks).ConfigureAwait(false);
        return await Plan.BuildAsync(stackName, stackFileLabel, warnings, mocks.Assumptions, stack, recorder.Graph(projectName, stackName), mocks, shapes).ConfigureAwait(false);
    }

    /// <summary>
    /// The inputs of the display-only run (<see cref="ShapeMocks"/>), by resource type and name; none when that run
    /// fails, since the preview alone is the plan's truth.
    /// </summary>
    private static async Task<IReadOnlyDictionary<(string Type, string Name), System.Collections.Immutable.ImmutableDictionary<string, object>>> ShapesAsync(
        string projectName, string stackName, PlanMocks preview)
    {
        var mocks = new ShapeMocks(preview);
        // The developer identities Cognito gives during `pulumi up` are, like every computed output, tokens here.
        var services = new StackServices(_ => new TokenIdentities());
        try
        {
            await Deployment.TestWithServiceProviderAsync<PsoxyStack>(mocks, new PsoxyStackFactory(new StackOptions(), services),
                new TestOptions { IsPreview = true, ProjectName = projectName, StackName = stackName }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RunException or AggregateException)
        {
            return new Dictionary<(string, string), System.Collections.Immutable.ImmutableDictionary<string, object>>();
        }

        return mocks.Registered.GroupBy(a => (a.Type ?? string.Empty, a.Name ?? string.Empty)).ToDictionary(g => g.Key, g => g.Last().Inputs);
    }

    /// <summary>Developer identities for the display-only run: each a token, known (as a token) even in a preview.</summary>
    private sealed class TokenIdentities : Hosts.Aws.IDeveloperIdentities
    {
        public Output<string> IdentityOf(Output<string> poolId, Output<string> clientId, string developerProviderName) =>
            Output.Create(PlanValue.UnknownToken);
    }
}
