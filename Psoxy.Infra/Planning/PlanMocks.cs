using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Psoxy.Infra.Hosts.Gcp;
using Pulumi.Testing;

namespace Psoxy.Infra.Planning;

/// <summary>
/// The mocks an offline plan runs the program against, answering as the engine does in a preview of a new stack:
/// every resource is to be created, its inputs come back as its outputs, and everything its provider computes (ids,
/// ARNs, client ids...) is unknown. Data sources are not read: the ones the program checks against the stack
/// configuration answer as the providers would from that configuration; every other field is unknown. Planned against
/// a deployed stack's state (<c>plan --state</c>), a resource the state holds answers as in a real preview of that
/// stack: with its id and its outputs, the program's inputs over them; a renamed one is found by the URNs its aliases
/// name (<paramref name="aliasUrns"/>: type and name to those URNs). Who runs <c>pulumi up</c> is unknown unless given
/// (<paramref name="deployerObjectId"/>: the Entra object id azuread's getClientConfig would report).
/// </summary>
internal sealed class PlanMocks(
    IReadOnlyDictionary<string, string> config,
    State.DeployedState? state = null,
    Func<string, string, Task<IReadOnlyList<string>>>? aliasUrns = null,
    string? deployerObjectId = null) : IMocks
{
    /// <summary>Pulumi's wire marker for a value that is not known yet.</summary>
    private const string Unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

    private readonly ConcurrentQueue<string> _assumptions = new();

    public ConcurrentQueue<MockResourceArgs> Registered { get; } = new();

    /// <summary>What the answers assumed that only the clouds can tell, for the plan to say.</summary>
    public IReadOnlyList<string> Assumptions => [.. _assumptions.Distinct()];

    public async Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Registered.Enqueue(args);
        var (type, name) = (args.Type ?? string.Empty, args.Name ?? string.Empty);
        var deployed = state?.Find(type, name);
        if (state is not null && deployed is null && aliasUrns is not null)
        {
            deployed = state.FindAny(await aliasUrns(type, name).ConfigureAwait(false));
        }

        if (deployed is not null)
        {
            var outputs = deployed.Outputs.ToBuilder();
            foreach (var (key, value) in args.Inputs)
            {
                outputs[key] = value;
            }

            return (deployed.Id, outputs.ToImmutable());
        }

        // No id: a resource to be created has none yet, and Pulumi reports it as unknown.
        return (null, args.Inputs);
    }

    public Task<object> CallAsync(MockCallArgs args)
    {
        var result = ImmutableDictionary.CreateBuilder<string, object>();
        switch (args.Token)
        {
            // Offline, the account behind the AWS credentials cannot be known: the plan assumes the configured one
            // and says so; `pulumi up` asks STS and refuses any other.
            case "aws:index/getCallerIdentity:getCallerIdentity" when HostField("aws", "accountId") is { } account:
                result["accountId"] = account;
                _assumptions.Enqueue($"The AWS credentials are assumed to be for account {account} (psoxy:aws.accountId): which account they are for is known only to AWS. `pulumi up` asks STS first and changes nothing in any other account.");
                break;
            // Whose the GCP credentials are is known only to Google: the deployer's actAs grants show it as known after deploy.
            case "gcp:organizations/getClientOpenIdUserInfo:getClientOpenIdUserInfo":
                _assumptions.Enqueue("The principal running `pulumi up` on GCP (the provider's credentials) is granted roles/iam.serviceAccountUser on each service account the stack creates; who it is is known only to Google, so its member is shown as known after deploy.");
                result["email"] = Unknown;
                break;
            // The Entra principal behind the azuread provider's credentials, as the user gave it (plan --deployer-object-id).
            // One unknown member makes the whole typed result unknown, so the members the program never reads are
            // given as empty rather than unknown.
            case "azuread:index/getClientConfig:getClientConfig" when deployerObjectId is not null:
                result["objectId"] = deployerObjectId;
                result["tenantId"] = config.GetValueOrDefault("psoxy:msftTenantId") ?? string.Empty;
                result["clientId"] = string.Empty;
                result["id"] = string.Empty;
                return Task.FromResult<object>(result.ToImmutable());
            // The GCP provider's project, from where the provider itself takes it.
            case "gcp:organizations/getClientConfig:getClientConfig":
                result["project"] = GcpProviderProject() ?? string.Empty;
                break;
        }

        foreach (var field in new[] { "id", "objectId", "objectIds", "clientId", "tenantId", "appRoleIds", "accountId", "arn", "userId", "region", "partition", "number", "projectId", "project", "json", "accessToken" })
        {
            result.TryAdd(field, Unknown);
        }

        return Task.FromResult<object>(result.ToImmutable());
    }

    private string? GcpProviderProject() =>
        config.GetValueOrDefault("gcp:project") is { Length: > 0 } project
            ? project
            : GcpPreflight.ProviderProjectVariables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private string? HostField(string host, string field)
    {
        if (!config.TryGetValue($"psoxy:{host}", out var raw))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
