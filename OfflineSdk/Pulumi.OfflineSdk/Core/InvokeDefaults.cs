namespace Pulumi;

/// <summary>
/// The invoke options a provider package's data sources send: the caller's, with the package version filled in.
/// Each generated package's <c>Utilities</c> passes its own version.
/// </summary>
internal static class InvokeDefaults
{
    public static InvokeOptions With(InvokeOptions? src, string version)
    {
        var dst = new InvokeOptions();
        CopyTo(src, dst, version);
        return dst;
    }

    public static InvokeOutputOptions With(InvokeOutputOptions? src, string version)
    {
        var dst = new InvokeOutputOptions();
        CopyTo(src, dst, version);
        if (src is not null)
        {
            dst.DependsOn = src.DependsOn;
        }

        return dst;
    }

    private static void CopyTo(InvokeOptions? src, InvokeOptions dst, string version)
    {
        dst.Parent = src?.Parent;
        dst.Provider = src?.Provider;
        dst.PluginDownloadURL = src?.PluginDownloadURL;
        dst.Version = src?.Version ?? version;
    }
}
