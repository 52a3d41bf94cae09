namespace Psoxy.Infra.Verification;

/// <summary>The check a verdict comes from.</summary>
internal enum VerificationCheck
{
    HealthCheck,
    VerificationCall,
}

/// <summary>The outcome for one connector: passed, or the first failing check with its cause and next step.</summary>
internal sealed record ConnectorVerdict(DeployedConnector Connector, VerificationCheck Check, Finding? Failure)
{
    public bool Passed => Failure is null;
}

/// <summary>
/// Verifies one connector as Worklytics would use it: the health check first (configuration), then the
/// connector's verification call (consent, token exchange, sanitization). Stops at the first failure, since
/// later checks would fail for the same reason.
/// </summary>
internal sealed class ConnectorVerifier(ProxyClient proxy, IRequestAuthenticator authenticator, DeploymentOutputs outputs, bool asCallerRole)
{
    public async Task<ConnectorVerdict> VerifyAsync(DeployedConnector connector, CancellationToken ct)
    {
        var health = await CheckAsync(connector, VerificationCheck.HealthCheck, ct).ConfigureAwait(false);
        return health.Passed ? await CheckAsync(connector, VerificationCheck.VerificationCall, ct).ConfigureAwait(false) : health;
    }

    private async Task<ConnectorVerdict> CheckAsync(DeployedConnector connector, VerificationCheck check, CancellationToken ct)
    {
        var url = check == VerificationCheck.HealthCheck ? connector.EndpointUrl : connector.VerificationCallUrl;
        ProxyResponse response;
        try
        {
            response = await proxy.GetAsync(url, healthCheck: check == VerificationCheck.HealthCheck, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new(connector, check, Diagnosis.Timeout(proxy.Timeout));
        }
        catch (HttpRequestException e)
        {
            return new(connector, check, Diagnosis.Unreachable(e.Message));
        }
        catch (CallerCredentialsException e)
        {
            return new(connector, check, Diagnosis.CouldNotAuthenticate(e.Message));
        }

        if (Diagnosis.IsHostRefusal(response))
        {
            var caller = await authenticator.DescribeCallerAsync(ct).ConfigureAwait(false);
            return new(connector, check, Diagnosis.HostRefusal(response, outputs, connector, caller, asCallerRole));
        }

        var failure = check == VerificationCheck.HealthCheck
            ? Diagnosis.HealthCheck(response, outputs, connector)
            : Diagnosis.VerificationCall(response, outputs, connector);
        return new(connector, check, failure);
    }
}
