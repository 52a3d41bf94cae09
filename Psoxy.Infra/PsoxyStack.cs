using System.Collections.Immutable;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Psoxy.Infra.Hosts;
using Psoxy.Infra.Hosts.Aws;
using Psoxy.Infra.Hosts.Gcp;
using Pulumi;
using Pulumi.AzureAD;
using Pulumi.Utilities;

namespace Psoxy.Infra;

/// <summary>What the stack reaches outside Pulumi through, passed in (the plan replaces it; tests use loopback fakes).</summary>
/// <param name="DeveloperIdentities">AWS: where each instance's Cognito developer identity id comes from.</param>
internal sealed record StackServices(Func<AwsConnectionSettings, IDeveloperIdentities> DeveloperIdentities)
{
    /// <summary>The real services: Cognito itself.</summary>
    public static readonly StackServices Default = new(connection => new CognitoDeveloperIdentities(connection));
}

/// <summary>
/// The Psoxy.Infra stack: per enabled Microsoft 365 connector, an Entra ID application with exactly the
/// connector's read-only Graph permissions, the proxy instance on the chosen host, and the federated credential
/// binding the two; plus everything the Entra admin needs to grant consent.
/// </summary>
public sealed class PsoxyStack : Stack
{
    /// <summary>The Microsoft 365 tenant id.</summary>
    [Output("tenantId")]
    public Output<string> TenantId { get; private set; }

    /// <summary>Per connector id: display name, application ids, permissions and consent links.</summary>
    [Output("connectors")]
    public Output<ImmutableDictionary<string, ImmutableDictionary<string, object>>> Connectors { get; private set; }

    /// <summary>The pseudonym salt's fingerprint, as every instance's health check reports it (never the salt).</summary>
    [Output("saltSha256Hash")]
    public Output<string> SaltSha256Hash { get; private set; }

    /// <summary>Per connector with custom rules: the rules file as configured and its SHA-1 (the instance's CUSTOM_RULES_SHA).</summary>
    [Output("customRules")]
    public Output<ImmutableDictionary<string, ImmutableDictionary<string, string>>> CustomRules { get; private set; }

    /// <summary>Markdown instructions for the Entra admin.</summary>
    [Output("adminInstructions")]
    public Output<string> AdminInstructions { get; private set; }

    /// <summary>Markdown instructions for connecting each proxy instance in Worklytics.</summary>
    [Output("worklyticsInstructions")]
    public Output<string> WorklyticsInstructions { get; private set; }

    /// <summary>Markdown: per connector, the health check and an example call to make by hand (what <c>verify</c> does).</summary>
    [Output("testInstructions")]
    public Output<string> TestInstructions { get; private set; }

    /// <summary>AWS only (null on GCP): the role the analytics service assumes to invoke the proxies.</summary>
    [Output("callerRoleArn")]
    public Output<string?> CallerRoleArn { get; private set; }

    /// <summary>AWS only (null on GCP): the region the proxies run in.</summary>
    [Output("awsRegion")]
    public Output<string?> AwsRegion { get; private set; }

    /// <summary>GCP only (null on AWS): the project the proxies run in.</summary>
    [Output("gcpProjectId")]
    public Output<string?> GcpProjectId { get; private set; }

    /// <summary>The stack as <c>pulumi up</c> runs it.</summary>
    public PsoxyStack()
        : this(new StackOptions(), StackServices.Default)
    {
    }

    /// <summary>
    /// The stack with <paramref name="options"/>: the offline plan and the tests pass resource transformations that
    /// observe every resource (Pulumi's in-process hook), through Pulumi's own dependency injection.
    /// </summary>
    internal PsoxyStack(StackOptions options, StackServices services)
        : base(options)
    {
        ArgumentNullException.ThrowIfNull(services);
        StackSettings settings;
        try
        {
            settings = StackSettingsReader.Read(new PulumiConfigSource(), ProviderConfig.FromPulumi());
        }
        catch (InvalidConfigurationException e)
        {
            // A RunException is reported without a stack trace.
            throw new RunException(e.Message);
        }

        foreach (var warning in settings.Warnings)
        {
            Log.Warn(warning);
        }

        var awsConnection = settings.Host == HostPlatform.Aws ? AwsConnectionSettings.FromProviderConfig(new Pulumi.Config("aws"), settings.Aws!.Region) : null;
        if (awsConnection is not null && AwsHostSettingsReader.BundleRegionProblem(settings.Aws!.DeploymentBundle, awsConnection.Region) is { } wrongRegion)
        {
            // The configuration check covers regions set in the stack; this one the region taken from AWS_REGION.
            var bundle = $"s3://{settings.Aws.DeploymentBundle.Bucket}/{settings.Aws.DeploymentBundle.ObjectKey}";
            throw new RunException(InvalidConfigurationException.Describe([new ConfigProblem("aws.deploymentBundle", bundle, wrongRegion)]));
        }

        // Nothing is declared until the credentials are known to target the configured AWS account or GCP project.
        // Awaited, not blocked on: the checks are invokes, answered by Pulumi's scheduler like any other.
        var declared = Output.Create(DeclareAsync(settings, awsConnection, services));

        TenantId = Output.Create(settings.MsftTenantId);
        // From the configuration alone: the plan shows which connectors run custom rules, by file and hash, not the rules.
        CustomRules = Output.Create(settings.Proxy.CustomRules.ToImmutableDictionary(kv => kv.Key, kv => new Dictionary<string, string>
        {
            ["file"] = kv.Value.File,
            ["sha1"] = kv.Value.Sha1,
        }.ToImmutableDictionary()));
        Connectors = declared.Apply(d => d?.Connectors ?? NotDeclared<ImmutableDictionary<string, ImmutableDictionary<string, object>>>());
        AdminInstructions = declared.Apply(d => d?.AdminInstructions ?? NotDeclared<string>());
        WorklyticsInstructions = declared.Apply(d => d?.WorklyticsInstructions ?? NotDeclared<string>());
        CallerRoleArn = declared.Apply(d => d?.CallerRoleArn ?? NotDeclared<string?>());
        TestInstructions = declared.Apply(d => d?.TestInstructions ?? NotDeclared<string>());
        SaltSha256Hash = declared.Apply(d => d?.SaltSha256Hash ?? NotDeclared<string>());
        AwsRegion = Output.Create<string?>(awsConnection?.Region);
        GcpProjectId = Output.Create<string?>(settings.Gcp?.ProjectId);
    }

    /// <summary>What the stack declares once the target is confirmed, as the outputs that depend on it.</summary>
    private sealed record DeclaredStack(
        Output<ImmutableDictionary<string, ImmutableDictionary<string, object>>> Connectors,
        Output<string> AdminInstructions,
        Output<string> WorklyticsInstructions,
        Output<string?> CallerRoleArn,
        Output<string> TestInstructions,
        Output<string> SaltSha256Hash);

    /// <summary>An output of a stack that declared nothing: it has no value, and the error says why.</summary>
    private static Output<T> NotDeclared<T>() => OutputUtilities.CreateUnknown(default(T)!);

    /// <summary>Declares the stack once the checks pass; null, with the error logged once, when one fails.</summary>
    private static async Task<DeclaredStack?> DeclareAsync(StackSettings settings, AwsConnectionSettings? awsConnection, StackServices services)
    {
        AwsAccount? awsAccount = null;
        try
        {
            switch (settings.Host)
            {
                case HostPlatform.Aws:
                    awsAccount = await AwsPreflight.VerifyAsync(settings.Aws!).ConfigureAwait(false);
                    break;
                case HostPlatform.Gcp:
                    await GcpPreflight.VerifyAsync(settings.Gcp!).ConfigureAwait(false);
                    break;
            }
        }
        catch (RunException e)
        {
            // Logged rather than thrown: every stack output waits on this, and each would report it again.
            Log.Error(e.Message);
            return null;
        }

        var owners = ResolveOwners(settings.MsftOwners, includeDeployer: true);
        var adoptedOwners = settings.ExistingApplicationDisplayNames.Count > 0 ? ResolveOwners(settings.MsftOwners, includeDeployer: false) : null;
        var graphServicePrincipal = settings.GrantAdminConsent
            ? GetServicePrincipal.Invoke(new GetServicePrincipalInvokeArgs { ClientId = GraphAppRoles.GraphAppId }).Apply(sp => sp.ObjectId)
            : null;
        // Shared by every instance and independent of the host, so switching host keeps the pseudonyms.
        var secrets = new ProxySecrets("shared-secrets", new ProxySecretsArgs
        {
            PseudonymSalt = settings.PseudonymSalt,
            EncryptionKey = settings.EncryptionKey,
        });
        var context = new ProxyHostContext(settings.Environment, settings.MsftTenantId, settings.Auth, settings.Proxy, secrets);
        var host = CreateHost(settings, context, awsAccount, awsConnection, services);

        var connections = new List<EntraConnection>();
        var instances = new List<IProxyInstance>();
        foreach (var connector in settings.Connectors)
        {
            var connection = new EntraConnection(connector.Id, new EntraConnectionArgs
            {
                Connector = connector,
                Environment = settings.Environment,
                TenantId = settings.MsftTenantId,
                Owners = owners,
                Auth = settings.Auth,
                ExistingApplicationObjectId = settings.ExistingApplications.GetValueOrDefault(connector.Id),
                AdoptedDisplayName = settings.ExistingApplicationDisplayNames.GetValueOrDefault(connector.Id),
                AdoptedOwners = adoptedOwners is null ? null : (InputList<string>)adoptedOwners,
                ProtectApplication = settings.ProtectApplications,
                GraphServicePrincipalObjectId = graphServicePrincipal,
                CertificateValidityDays = settings.CertificateValidityDays,
            });
            var instance = host.Deploy(connector, connection);
            if (settings.Auth == AuthMode.Federated)
            {
                connection.TrustFederatedIdentity(instance.FederatedIdentity);
            }

            connections.Add(connection);
            instances.Add(instance);
        }

        var connectorOutputs = Output.All(connections.Zip(instances, (c, i) => ConnectorOutput(c, i, settings.Auth)))
            .Apply(entries => entries.ToImmutableDictionary(e => e.Key, e => e.Value));
        // The documents are for people: in a preview, values the clouds assign yet show as such rather than
        // leaving the whole document unknown.
        var adminInstructions = Output.All(connections.Select(c => Output.Tuple(PreviewValue.KnownOr(c.ClientId), PreviewValue.KnownOr(c.ObjectId))
                .Apply(ids => new ApplicationFacts(c.Connector, c.DisplayName, ids.Item1, ids.Item2))))
            .Apply(apps => Entra.AdminInstructions.Render(settings.MsftTenantId, settings.Environment, apps, settings.GrantAdminConsent));
        var worklyticsInstructions = Output.All(instances.Select(i => i.Worklytics))
            .Apply(all => Hosts.WorklyticsInstructions.Render(settings.Environment, host.WorklyticsHostName, all));
        var callerRole = (host as AwsHost)?.CallerRoleArn;
        var callerRoleArn = callerRole?.Apply(arn => (string?)arn) ?? Output.Create((string?)null);
        var targets = Output.All(connections.Zip(instances, (c, instance) => PreviewValue.KnownOr(instance.EndpointUrl).Apply(url => new TestTarget(c.Connector, url))));
        var callerForPeople = callerRole is null ? Output.Create((string?)null) : PreviewValue.KnownOr(callerRole).Apply(arn => (string?)arn);
        var testInstructions = Output.Tuple(targets, callerForPeople)
            .Apply(t => Hosts.TestInstructions.Render(settings.Environment, new TestCaller(settings.Host, awsConnection?.Region, t.Item2, settings.Gcp?.InvokerMembers), t.Item1));
        return new DeclaredStack(connectorOutputs, adminInstructions, worklyticsInstructions, callerRoleArn, testInstructions, secrets.SaltSha256Hash);
    }

    /// <summary>The configured owners (plus the deploying principal when asked), by object id, sorted so the order never diffs.</summary>
    private static Output<ImmutableArray<string>> ResolveOwners(IReadOnlyList<EntraOwner> configured, bool includeDeployer)
    {
        var deployer = includeDeployer ? GetClientConfig.Invoke().Apply(c => (string?)c.ObjectId) : Output.Create((string?)null);
        var byId = configured.Where(o => o.IsObjectId).Select(o => o.Value).ToList();
        var upns = configured.Where(o => !o.IsObjectId).Select(o => o.Value).ToList();
        var byName = upns.Count == 0
            ? Output.Create(ImmutableArray<string>.Empty)
            : GetUsers.Invoke(new GetUsersInvokeArgs { UserPrincipalNames = upns }).Apply(users => users.ObjectIds);
        return Output.Tuple(deployer, byName).Apply(t =>
            byId.Concat(t.Item2).Concat(t.Item1 is null ? [] : [t.Item1])
                .Select(id => id.ToLowerInvariant())
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToImmutableArray());
    }

    private static IProxyHost CreateHost(StackSettings settings, ProxyHostContext context, AwsAccount? awsAccount, AwsConnectionSettings? awsConnection, StackServices services) => settings.Host switch
    {
        HostPlatform.Aws => new AwsHost("aws", new AwsHostArgs
        {
            Context = context,
            Settings = settings.Aws!,
            Account = awsAccount!,
            Connectors = settings.Connectors,
            Connection = awsConnection!,
            Identities = services.DeveloperIdentities(awsConnection!),
        }),
        HostPlatform.Gcp => new GcpHost("gcp", new GcpHostArgs
        {
            Context = context,
            Settings = settings.Gcp!,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(settings)),
    };

    private static Output<KeyValuePair<string, ImmutableDictionary<string, object>>> ConnectorOutput(EntraConnection c, IProxyInstance instance, AuthMode auth) =>
        Output.Tuple(c.ClientId, c.ObjectId, c.ApplicationId, c.AdminConsentUrl, c.PermissionsPageUrl, instance.EndpointUrl, FederatedCredentialOutput(instance, auth)).Apply(t =>
        {
            var entry = new Dictionary<string, object>
            {
                ["displayName"] = c.DisplayName,
                ["clientId"] = t.Item1,
                ["applicationObjectId"] = t.Item2,
                ["applicationId"] = t.Item3,
                ["requiredAppRoles"] = c.RequiredAppRoles.ToImmutableArray(),
                ["adminConsentUrl"] = t.Item4,
                ["permissionsPageUrl"] = t.Item5,
                ["endpointUrl"] = t.Item6,
            };
            if (t.Item7 is { } credential)
            {
                entry["federatedCredential"] = credential;
            }

            return KeyValuePair.Create(c.Connector.Id, entry.ToImmutableDictionary());
        });

    /// <summary>
    /// Federated auth: exactly what the application trusts (issuer, audience, subject), so that a token exchange
    /// error can be checked against it (<c>verify</c> does); null with certificate auth.
    /// </summary>
    private static Output<ImmutableDictionary<string, string>?> FederatedCredentialOutput(IProxyInstance instance, AuthMode auth) =>
        auth != AuthMode.Federated
            ? Output.Create((ImmutableDictionary<string, string>?)null)
            : Output.Tuple(instance.FederatedIdentity.Issuer.ToOutput(), instance.FederatedIdentity.Audience.ToOutput(), instance.FederatedIdentity.Subject.ToOutput())
                .Apply(t => (ImmutableDictionary<string, string>?)new Dictionary<string, string>
                {
                    ["issuer"] = t.Item1,
                    ["audience"] = t.Item2,
                    ["subject"] = t.Item3,
                }.ToImmutableDictionary());
}
