using System.Net;
using System.Text.Json;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Verification;

/// <summary>One deployed connector, as the stack's <c>connectors</c> output describes it.</summary>
/// <param name="Spec">The catalog entry: expected source, verification call, manual step.</param>
/// <param name="DisplayName">The Entra application's display name.</param>
/// <param name="ClientId">The Entra application (client) id the proxy authenticates as.</param>
/// <param name="EndpointUrl">The proxy's base URL, ending in <c>/</c>.</param>
/// <param name="AdminConsentUrl">Where an admin grants the application's permissions.</param>
/// <param name="PermissionsPageUrl">The application's API permissions page.</param>
internal sealed record DeployedConnector(
    ConnectorSpec Spec,
    string DisplayName,
    string ClientId,
    Uri EndpointUrl,
    string? AdminConsentUrl,
    string? PermissionsPageUrl,
    ExpectedFederation? Federation = null)
{
    public string Id => Spec.Id;

    /// <summary>The URL of the connector's verification call through the proxy.</summary>
    public Uri VerificationCallUrl => new(EndpointUrl, Spec.VerificationCall.TrimStart('/'));
}

/// <summary>Exactly what the connector's application trusts: tokens with this issuer, audience and subject.</summary>
internal sealed record ExpectedFederation(string Issuer, string Audience, string Subject)
{
    public override string ToString() => $"issuer {Issuer}, audience {Audience}, subject {Subject}";
}

/// <summary>What <c>verify</c> needs from the stack outputs.</summary>
internal sealed record DeploymentOutputs(
    HostPlatform Host,
    string? TenantId,
    string? CallerRoleArn,
    string? AwsRegion,
    string? GcpProjectId,
    IReadOnlyList<DeployedConnector> Connectors)
{
    /// <summary>The stack's <c>saltSha256Hash</c> output: the salt every instance should report; null in older outputs.</summary>
    public string? SaltSha256Hash { get; init; }
}

/// <summary>The stack outputs are missing, malformed or unusable; the message says which and why.</summary>
internal sealed class OutputsException(string message) : Exception(message);

/// <summary>
/// Reads the JSON that <c>pulumi stack output --json --show-secrets</c> prints for a Psoxy.Infra stack (the outputs
/// <see cref="PsoxyStack"/> declares).
/// </summary>
internal static class OutputsDocument
{
    public static DeploymentOutputs Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new OutputsException($"the stack outputs are not JSON ({e.Message}); pass what `pulumi stack output --json --show-secrets` prints.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new OutputsException("the stack outputs must be a JSON object (what `pulumi stack output --json --show-secrets` prints).");
            }

            // `pulumi stack output --json` without --show-secrets prints each secret output as this text.
            if (root.EnumerateObject().Where(p => p.Value is { ValueKind: JsonValueKind.String } v && v.GetString() == "[secret]").Select(p => p.Name).ToList() is { Count: > 0 } masked)
            {
                throw new OutputsException($"the stack outputs show {string.Join(", ", masked)} as [secret]: they were taken without --show-secrets. "
                    + "Take them with it: `pulumi stack output --json --show-secrets --stack NAME > outputs.json` (or run verify --stack NAME, which does).");
            }

            var awsRegion = OptionalString(root, "awsRegion");
            var gcpProjectId = OptionalString(root, "gcpProjectId");
            var host = (awsRegion, gcpProjectId) switch
            {
                (not null, null) => HostPlatform.Aws,
                (null, not null) => HostPlatform.Gcp,
                _ => throw new OutputsException("the stack outputs must set exactly one of awsRegion and gcpProjectId; are these the outputs of a Psoxy.Infra stack?"),
            };

            if (!root.TryGetProperty("connectors", out var connectors) || connectors.ValueKind != JsonValueKind.Object)
            {
                throw new OutputsException("the stack outputs have no 'connectors' object; are these the outputs of a Psoxy.Infra stack, deployed with `pulumi up`?");
            }

            return new DeploymentOutputs(
                host,
                OptionalString(root, "tenantId"),
                OptionalString(root, "callerRoleArn"),
                awsRegion,
                gcpProjectId,
                connectors.EnumerateObject().Select(ReadConnector).OrderBy(c => c.Id, StringComparer.Ordinal).ToList())
            {
                SaltSha256Hash = OptionalString(root, "saltSha256Hash"),
            };
        }
    }

    /// <summary>
    /// Whether a proxy URL may be called: https, or http to a loopback address (local fakes and tunnels only, so
    /// signatures and tokens never cross a network in the clear).
    /// </summary>
    public static bool IsAllowedEndpoint(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopback(url));

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.IdnHost, out var address) && IPAddress.IsLoopback(address));

    private static DeployedConnector ReadConnector(JsonProperty entry)
    {
        var id = entry.Name;
        var spec = ConnectorCatalog.Find(id)
            ?? throw new OutputsException($"connector '{id}' in the stack outputs is not one this version of Psoxy.Infra knows ({string.Join(", ", ConnectorCatalog.All.Select(c => c.Id))}).");
        if (entry.Value.ValueKind != JsonValueKind.Object)
        {
            throw new OutputsException($"connectors.{id} must be an object.");
        }

        var endpoint = RequiredString(entry.Value, id, "endpointUrl");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new OutputsException($"connectors.{id}.endpointUrl is not an http(s) URL: '{endpoint}'.");
        }

        if (!IsAllowedEndpoint(url))
        {
            throw new OutputsException($"connectors.{id}.endpointUrl uses plain http ({url.GetLeftPart(UriPartial.Authority)}); only https is called, except on loopback addresses.");
        }

        // Relative paths resolve under the base URL only when it ends in '/', Psoxy's convention for base URLs.
        var baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        return new DeployedConnector(
            spec,
            OptionalString(entry.Value, "displayName") ?? spec.DisplayName,
            RequiredString(entry.Value, id, "clientId"),
            baseUrl,
            OptionalString(entry.Value, "adminConsentUrl"),
            OptionalString(entry.Value, "permissionsPageUrl"),
            ReadFederation(entry.Value));
    }

    private static ExpectedFederation? ReadFederation(JsonElement connector) =>
        connector.TryGetProperty("federatedCredential", out var credential) && credential.ValueKind == JsonValueKind.Object
        && OptionalString(credential, "issuer") is { } issuer && OptionalString(credential, "audience") is { } audience && OptionalString(credential, "subject") is { } subject
            ? new ExpectedFederation(issuer, audience, subject)
            : null;

    private static string RequiredString(JsonElement connector, string id, string name) =>
        OptionalString(connector, name) ?? throw new OutputsException($"connectors.{id} has no '{name}'.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;
}
