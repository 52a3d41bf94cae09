using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Hosts;

/// <summary>What every host needs beyond its own settings: the environment, the tenant and the shared proxy setup.</summary>
/// <param name="Environment">The environment name, in every resource name.</param>
/// <param name="TenantId">The Microsoft 365 tenant the proxies read from.</param>
/// <param name="Auth">How the proxies authenticate to Entra ID.</param>
/// <param name="Options">How the proxies sanitize data.</param>
/// <param name="Secrets">The pseudonym salt and encryption key every instance shares.</param>
internal sealed record ProxyHostContext(
    string Environment,
    string TenantId,
    AuthMode Auth,
    ProxyOptions Options,
    ProxySecrets Secrets);
