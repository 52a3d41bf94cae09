using System.Text.Json;
using Psoxy.Infra.Catalog;

namespace Psoxy.Infra.Verification;

/// <summary>The check a verdict's failure comes from.</summary>
internal enum VerificationCheck
{
    HealthCheck,
    DataCall,
}

/// <summary>How one data call ended.</summary>
internal enum CallOutcome
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>
/// One data call: the catalog's call, the path as made (ids filled in; the template when skipped), how it ended and
/// why: the failure's cause and next step, or the reason it was skipped.
/// </summary>
internal sealed record CallResult(DataCall Call, string Path, CallOutcome Outcome, Finding? Failure = null, string? SkipReason = null);

/// <summary>
/// The outcome for one connector: its health check, then its data calls (none when the health check failed), and
/// the warnings worth reading even when it passed.
/// </summary>
internal sealed record ConnectorVerdict(DeployedConnector Connector, Finding? HealthFailure, IReadOnlyList<CallResult> Calls, IReadOnlyList<string> Warnings)
{
    /// <summary>Passed only when every call read data: a skipped call proves nothing, so it does not pass.</summary>
    public bool Passed => HealthFailure is null && Calls.All(c => c.Outcome == CallOutcome.Passed);

    /// <summary>Nothing failed, but a skipped call left some of the connector's data unread.</summary>
    public bool Incomplete => HealthFailure is null && Calls.Any(c => c.Outcome == CallOutcome.Skipped) && Calls.All(c => c.Outcome != CallOutcome.Failed);

    public VerificationCheck Check => HealthFailure is null ? VerificationCheck.DataCall : VerificationCheck.HealthCheck;

    /// <summary>The first failure (health check, then the first failed call), or the first skip when nothing failed.</summary>
    public Finding? Failure =>
        HealthFailure
        ?? Calls.FirstOrDefault(c => c.Outcome == CallOutcome.Failed)?.Failure
        ?? (Calls.FirstOrDefault(c => c.Outcome == CallOutcome.Skipped) is { } skipped
            ? new Finding($"{skipped.Path} was skipped: {skipped.SkipReason}", "the connector's data could not all be read; fix what the skip names and run verify again.")
            : null);
}

/// <summary>
/// Verifies one connector as Worklytics would use it: the health check first (configuration, salt), then one call
/// per permission family from the catalog (<see cref="ConnectorSpec.DataCalls"/>), each filling in the ids earlier
/// answers gave. The calls go on after a failure, so that each permission gets its own diagnosis.
/// </summary>
internal sealed class ConnectorVerifier(ProxyClient proxy, IRequestAuthenticator authenticator, DeploymentOutputs outputs, bool asCallerRole)
{
    public async Task<ConnectorVerdict> VerifyAsync(DeployedConnector connector, CancellationToken ct)
    {
        var (health, healthFailure) = await CallAsync(connector, connector.EndpointUrl, healthCheck: true, ct).ConfigureAwait(false);
        var report = health is null ? null : HealthCheckResult.TryParse(health.Body);
        healthFailure ??= Diagnosis.HealthCheck(health!, report, outputs, connector);
        var warnings = report is null ? [] : Diagnosis.HealthWarnings(report, outputs);
        if (healthFailure is not null)
        {
            return new(connector, healthFailure, [], warnings);
        }

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var yieldedBy = new Dictionary<string, CallResult>(StringComparer.Ordinal);
        var calls = new List<CallResult>();
        foreach (var call in connector.Spec.DataCalls)
        {
            var result = await MakeAsync(connector, call, ids, yieldedBy, ct).ConfigureAwait(false);
            calls.Add(result);
            if (call.Yields is { } name)
            {
                yieldedBy[name] = result;
            }
        }

        return new(connector, null, calls, warnings);
    }

    private async Task<CallResult> MakeAsync(
        DeployedConnector connector, DataCall call, Dictionary<string, string> ids, Dictionary<string, CallResult> yieldedBy, CancellationToken ct)
    {
        var path = call.Path;
        foreach (var name in call.Needs)
        {
            if (!ids.TryGetValue(name, out var id))
            {
                return new(call, call.Path, CallOutcome.Skipped, SkipReason: WhyNoId(name, yieldedBy));
            }

            path = path.Replace("{" + name + "}", Uri.EscapeDataString(id), StringComparison.Ordinal);
        }

        var (response, failure) = await CallAsync(connector, new Uri(connector.EndpointUrl, path.TrimStart('/')), healthCheck: false, ct).ConfigureAwait(false);
        failure ??= Diagnosis.DataCall(response!, outputs, connector, call, path);
        if (failure is not null)
        {
            return new(call, path, CallOutcome.Failed, failure);
        }

        if (call.Yields is { } yields && FirstId(response!.Body) is { } found)
        {
            ids[yields] = found;
        }

        return new(call, path, CallOutcome.Passed);
    }

    private static string WhyNoId(string name, Dictionary<string, CallResult> yieldedBy) => yieldedBy.GetValueOrDefault(name) switch
    {
        null => $"no earlier call gives a {name} id",
        { Outcome: CallOutcome.Passed } source => $"{source.Path} answered with no {name} to use",
        { } source => $"it needs a {name} id from {source.Path}, which did not answer",
    };

    /// <summary>The answer, or why there is none (the request failed, or the host refused the caller).</summary>
    private async Task<(ProxyResponse? Response, Finding? Failure)> CallAsync(DeployedConnector connector, Uri url, bool healthCheck, CancellationToken ct)
    {
        ProxyResponse response;
        try
        {
            response = await proxy.GetAsync(url, healthCheck, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return (null, Diagnosis.Timeout(proxy.Timeout));
        }
        catch (HttpRequestException e)
        {
            return (null, Diagnosis.Unreachable(e.Message));
        }
        catch (CallerCredentialsException e)
        {
            return (null, Diagnosis.CouldNotAuthenticate(e.Message));
        }

        if (Diagnosis.IsHostRefusal(response))
        {
            var caller = await authenticator.DescribeCallerAsync(ct).ConfigureAwait(false);
            return (null, Diagnosis.HostRefusal(response, outputs, connector, caller, asCallerRole));
        }

        return (response, null);
    }

    /// <summary>The first item's <c>id</c> of a Graph collection (<c>value[0].id</c>), as the proxy returned it.</summary>
    internal static string? FirstId(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array &&
                value.EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } first &&
                first.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } text
                ? text
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
