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
/// <param name="DataCalls">
/// The calls <c>verify</c> makes through the proxy, in order: one per permission family the connector holds, each
/// one of <paramref name="ExampleApiPaths"/> as the proxy's prebuilt rules allow it. The first needs no id and is the
/// test instructions' example call.
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
    IReadOnlyList<DataCall> DataCalls,
    ManualStep? ManualStep = null)
{
    /// <summary>The smallest call that proves the connector works end to end: one page of one item, no ids to fill in.</summary>
    public string VerificationCall => DataCalls[0].Path;
}

/// <summary>
/// One Graph call <c>verify</c> makes through a connector's proxy, to prove one of its permissions works.
/// </summary>
/// <param name="Path">
/// The path and query; <c>{name}</c> placeholders take the id an earlier call of the same connector yielded.
/// </param>
/// <param name="Permission">The Graph application permission (or access policy) the call exercises.</param>
/// <param name="Yields">
/// The placeholder that the first item's <c>id</c> in this call's answer fills for later calls; null if none.
/// Microsoft's prebuilt rules keep Graph object ids as they are (Psoxy's docs/sources/microsoft-365/*.yaml), so the
/// id is taken as the proxy returned it, pseudonymized or not.
/// </param>
/// <param name="NotFoundMeansAllowed">
/// Whether Graph's 404 for this call still proves access (a lookup by a key that matches nothing was let through).
/// </param>
internal sealed record DataCall(string Path, string Permission, string? Yields = null, bool NotFoundMeansAllowed = false)
{
    /// <summary>The placeholders the path needs, in order of appearance.</summary>
    public IReadOnlyList<string> Needs { get; } = System.Text.RegularExpressions.Regex.Matches(Path, @"\{(\w+)\}").Select(m => m.Groups[1].Value).ToList();
}
