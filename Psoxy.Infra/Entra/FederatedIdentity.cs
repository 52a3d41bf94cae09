using Pulumi;

namespace Psoxy.Infra.Entra;

/// <summary>
/// The host-cloud identity that an Entra application trusts through a federated identity credential: tokens
/// with exactly this issuer, audience and subject may act as the application. No secret is involved.
/// </summary>
/// <param name="Issuer">The token issuer, e.g. <c>https://accounts.google.com</c>.</param>
/// <param name="Audience">The token audience Entra must accept.</param>
/// <param name="Subject">The token subject: the proxy instance's own identity, never a wildcard.</param>
/// <param name="CredentialName">The credential's name on the application (unique per application).</param>
/// <param name="Description">What the credential is for, shown in the Entra admin center.</param>
internal sealed record FederatedIdentity(
    Input<string> Issuer,
    Input<string> Audience,
    Input<string> Subject,
    string CredentialName,
    string Description);
