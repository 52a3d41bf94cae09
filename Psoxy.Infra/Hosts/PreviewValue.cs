using Pulumi;
using Pulumi.Utilities;

namespace Psoxy.Infra.Hosts;

/// <summary>Values in the documents the stack writes for people (instructions), as a preview can show them.</summary>
internal static class PreviewValue
{
    /// <summary>What a document shows where a value the clouds assign is not known yet.</summary>
    public const string KnownAfterDeploy = "(known after deploy)";

    /// <summary>
    /// <paramref name="value"/> once known; in a preview, where a value the clouds assign is unknown, the text
    /// <see cref="KnownAfterDeploy"/> instead, so a document that embeds it is still shown whole. For public values
    /// only: the result is neither secret nor tracked as a dependency, so it must never become a resource input.
    /// </summary>
    public static Output<string> KnownOr(Output<string> value) => Output.Create(ResolveAsync(value));

    private static async Task<string> ResolveAsync(Output<string> value)
    {
        if (await Output.IsSecretAsync(value).ConfigureAwait(false))
        {
            throw new InvalidOperationException("A secret value cannot be shown in a document.");
        }

        return await OutputUtilities.GetIsKnownAsync(value).ConfigureAwait(false)
            ? await OutputUtilities.GetValueAsync(value).ConfigureAwait(false)
            : KnownAfterDeploy;
    }
}
