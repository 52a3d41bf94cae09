namespace Psoxy.Infra.Catalog;

/// <summary>How far along a connector is; anything but <see cref="Ga"/> earns a warning when enabled.</summary>
internal enum Availability
{
    Ga,
    Beta,
    Alpha,
    Deprecated,
}

/// <summary>
/// A step someone other than the Entra admin must take by hand before the connector works.
/// <see cref="Markdown"/> may contain <c>{clientId}</c>, replaced by the application's client id.
/// </summary>
internal sealed record ManualStep(string Title, string WhoMayDoIt, string Markdown);

/// <summary>Everything Psoxy.Infra knows about one Microsoft 365 data source.</summary>
/// <param name="Id">The connector id used in <c>psoxy:connectors</c> and in resource names.</param>
/// <param name="DisplayName">Human name, used in the Entra application's display name.</param>
/// <param name="WorklyticsConnectorId">The connector id in Worklytics' "connect" deep links.</param>
/// <param name="SourceKind">The <c>SOURCE</c> the proxy reads to pick its prebuilt sanitization rules.</param>
/// <param name="Availability">GA, beta, alpha or deprecated.</param>
/// <param name="RequiredAppRoles">Microsoft Graph application permissions, in the reference order.</param>
/// <param name="ExampleApiPaths">Graph calls the connector makes, to test the proxy with.</param>
/// <param name="VerificationCall">
/// The smallest call that proves the connector works end to end (one page of one item, no ids to fill in), which
/// the proxy's prebuilt rules allow; <c>verify</c> and the test instructions make it.
/// </param>
/// <param name="ManualStep">An extra manual step, if the connector needs one.</param>
internal sealed record ConnectorSpec(
    string Id,
    string DisplayName,
    string WorklyticsConnectorId,
    string SourceKind,
    Availability Availability,
    IReadOnlyList<string> RequiredAppRoles,
    IReadOnlyList<string> ExampleApiPaths,
    string VerificationCall,
    ManualStep? ManualStep = null);
