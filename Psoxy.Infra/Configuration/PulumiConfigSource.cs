using Pulumi;

namespace Psoxy.Infra.Configuration;

/// <summary>The <c>psoxy</c> namespace of the running stack's configuration.</summary>
internal sealed class PulumiConfigSource : IConfigSource
{
    private readonly Config _config = new(ConfigKeys.Namespace);

    public string? Get(string name) => _config.Get(name);
}
