namespace Psoxy.Infra;

/// <summary>Whether the program runs under the Pulumi engine, as <c>pulumi up</c> and <c>pulumi preview</c> start it.</summary>
internal static class PulumiEngine
{
    /// <summary>The one line printed when the program is started without the engine, say by a plain <c>dotnet run</c>.</summary>
    public const string MissingMessage =
        "psoxy: no Pulumi engine: deploy with `pulumi up` (or preview with `pulumi preview`), or preview a stack file offline with `dotnet run --project Psoxy.Infra -- plan`.";

    /// <summary>The CLI hands the program the addresses of its resource monitor and engine in these variables.</summary>
    public static bool IsPresent(Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment("PULUMI_MONITOR")) && !string.IsNullOrEmpty(environment("PULUMI_ENGINE"));
}
