using System.Collections.Immutable;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Psoxy.Infra.Hosts;
using Psoxy.Infra.Hosts.Aws;
using Psoxy.Infra.Hosts.Gcp;
using Pulumi;
using Pulumi.AzureAD;

namespace Psoxy.Infra;

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

    /// <summary>
    /// Stack options for the next run, set by the offline plan and the tests to observe every resource through
    /// <see cref="StackOptions.ResourceTransformations"/> (Pulumi's in-process hook); null for a normal run.
    /// </summary>
    internal static StackOptions? ObservingOptions { get; set; }

    public PsoxyStack()
        : base(ObservingOptions)
    {
        StackSettings settings;
        try
        {
            settings = StackSettingsReader.Read(new PulumiConfigSource());
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

        // Refuse to touch the wrong AWS account or GCP project, or to run without an AWS region, before anything is declared.
        AwsConnectionSettings? awsConnection = null;
        AwsAccount? awsAccount = null;
        switch (settings.Host)
        {
            case HostPlatform.Aws:
                awsConnection = AwsConnectionFromProviderConfig(settings.Aws!.Region);
                awsAccount = AwsPreflight.Verify(settings.Aws!);
                break;
            case HostPlatform.Gcp:
                GcpPreflight.Verify(settings.Gcp!);
                break;
        }

        var owners = ResolveOwners(settings.MsftOwners);
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
        var host = CreateHost(settings, context, awsAccount, awsConnection);

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

        TenantId = Output.Create(settings.MsftTenantId);
        Connectors = Output.All(connections.Zip(instances, ConnectorOutput))
            .Apply(entries => entries.ToImmutableDictionary(e => e.Key, e => e.Value));
        AdminInstructions = Output.All(connections.Select(c => Output.Tuple(c.ClientId, c.ObjectId)
                .Apply(ids => new ApplicationFacts(c.Connector, c.DisplayName, ids.Item1, ids.Item2))))
            .Apply(apps => Entra.AdminInstructions.Render(settings.MsftTenantId, settings.Environment, apps, settings.GrantAdminConsent));
        WorklyticsInstructions = Output.All(instances.Select(i => i.Worklytics))
            .Apply(all => Hosts.WorklyticsInstructions.Render(settings.Environment, host.WorklyticsHostName, all));

        var aws = host as AwsHost;
        var gcp = host as GcpHost;
        CallerRoleArn = aws?.CallerRoleArn.Apply(arn => (string?)arn) ?? Output.Create((string?)null);
        AwsRegion = Output.Create<string?>(aws?.Region);
        GcpProjectId = Output.Create<string?>(gcp?.ProjectId);
        var targets = Output.All(connections.Zip(instances, (c, instance) => instance.EndpointUrl.Apply(url => new TestTarget(c.Connector, url))));
        TestInstructions = Output.Tuple(targets, CallerRoleArn)
            .Apply(t => Hosts.TestInstructions.Render(settings.Environment, new TestCaller(settings.Host, aws?.Region, t.Item2), t.Item1));
    }

    /// <summary>The deploying principal plus the configured owners, by object id, sorted so the order never diffs.</summary>
    private static Output<ImmutableArray<string>> ResolveOwners(IReadOnlyList<EntraOwner> configured)
    {
        var deployer = GetClientConfig.Invoke().Apply(c => c.ObjectId);
        var byId = configured.Where(o => o.IsObjectId).Select(o => o.Value).ToList();
        var upns = configured.Where(o => !o.IsObjectId).Select(o => o.Value).ToList();
        var byName = upns.Count == 0
            ? Output.Create(ImmutableArray<string>.Empty)
            : GetUsers.Invoke(new GetUsersInvokeArgs { UserPrincipalNames = upns }).Apply(users => users.ObjectIds);
        return Output.Tuple(deployer, byName).Apply(t =>
            byId.Concat(t.Item2).Append(t.Item1)
                .Select(id => id.ToLowerInvariant())
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToImmutableArray());
    }

    private static IProxyHost CreateHost(StackSettings settings, ProxyHostContext context, AwsAccount? awsAccount, AwsConnectionSettings? awsConnection) => settings.Host switch
    {
        HostPlatform.Aws => new AwsHost("aws", new AwsHostArgs
        {
            Context = context,
            Settings = settings.Aws!,
            Account = awsAccount!,
            Connectors = settings.Connectors,
            Connection = awsConnection!,
        }),
        HostPlatform.Gcp => new GcpHost("gcp", new GcpHostArgs
        {
            Context = context,
            Settings = settings.Gcp!,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(settings)),
    };

    /// <summary>The region and credentials the AWS provider uses, for the calls the program makes itself.</summary>
    private static AwsConnectionSettings AwsConnectionFromProviderConfig(string? configuredRegion)
    {
        var aws = new Pulumi.Config("aws");
        var region = configuredRegion
            ?? aws.Get("region")
            ?? System.Environment.GetEnvironmentVariable("AWS_REGION")
            ?? System.Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
            ?? throw new RunException("No AWS region: set psoxy:aws.region or aws:region in the stack configuration (pulumi config set aws:region us-east-1).");
        return new AwsConnectionSettings(region)
        {
            AccessKey = aws.Get("accessKey"),
            SecretKey = aws.Get("secretKey"),
            SessionToken = aws.Get("token"),
            Profile = aws.Get("profile"),
        };
    }

    private static Output<KeyValuePair<string, ImmutableDictionary<string, object>>> ConnectorOutput(EntraConnection c, IProxyInstance instance) =>
        Output.Tuple(c.ClientId, c.ObjectId, c.ApplicationId, c.AdminConsentUrl, c.PermissionsPageUrl, instance.EndpointUrl).Apply(t =>
            KeyValuePair.Create(c.Connector.Id, new Dictionary<string, object>
            {
                ["displayName"] = c.DisplayName,
                ["clientId"] = t.Item1,
                ["applicationObjectId"] = t.Item2,
                ["applicationId"] = t.Item3,
                ["requiredAppRoles"] = c.RequiredAppRoles.ToImmutableArray(),
                ["adminConsentUrl"] = t.Item4,
                ["permissionsPageUrl"] = t.Item5,
                ["endpointUrl"] = t.Item6,
            }.ToImmutableDictionary()));
}
