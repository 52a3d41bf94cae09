namespace Psoxy.Infra.Verification;

/// <summary>What a proxy instance answered.</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Body">The body, as text.</param>
/// <param name="PsoxyError">The proxy's error cause (<see cref="PsoxyProtocol.ErrorHeader"/>), if it set one.</param>
internal sealed record ProxyResponse(int Status, string Body, string? PsoxyError);

/// <summary>Makes authenticated GET requests to proxy instances, each bounded by a timeout.</summary>
internal sealed class ProxyClient(HttpClient http, IRequestAuthenticator authenticator, TimeSpan timeout)
{
    public TimeSpan Timeout => timeout;

    /// <summary>The answer; throws <see cref="TimeoutException"/>, <see cref="HttpRequestException"/> or <see cref="CallerCredentialsException"/>.</summary>
    public async Task<ProxyResponse> GetAsync(Uri url, bool healthCheck, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (healthCheck)
        {
            // The proxy only looks for the header; Psoxy's own tools send "true".
            request.Headers.Add(PsoxyProtocol.HealthCheckHeader, "true");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await authenticator.AuthenticateAsync(request, deadline.Token).ConfigureAwait(false);
            using var response = await http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            var error = response.Headers.TryGetValues(PsoxyProtocol.ErrorHeader, out var values) ? values.FirstOrDefault() : null;
            return new ProxyResponse((int)response.StatusCode, body, error);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer from {url.GetLeftPart(UriPartial.Authority)} within {timeout.TotalSeconds:0} s");
        }
        catch (IOException e)
        {
            // The connection broke while the body was read: for the report, as good as unreachable.
            throw new HttpRequestException(e.Message, e);
        }
    }
}
