using System.Security.Cryptography;
using Psoxy.Infra.Configuration;
using Pulumi;

namespace Psoxy.Infra.Hosts;

/// <summary>Where a host's functions load the Psoxy bundle from: an object in the host cloud's storage.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Object">The object's key (name).</param>
/// <param name="UploadedSha256">For a bundle the program uploaded, the SHA-256 of its content; null for a released bundle.</param>
internal sealed record BundleLocation(Input<string> Bucket, Input<string> Object, byte[]? UploadedSha256)
{
    /// <summary>A released bundle, used where it is: nothing is uploaded.</summary>
    public static BundleLocation Released(DeploymentBundle bundle) =>
        new(bundle.Bucket ?? throw new ArgumentException("A local bundle has no bucket.", nameof(bundle)), bundle.ObjectKey!, null);
}

/// <summary>
/// The two ways a host gets its bundle: a released one is used in place; a local one is uploaded, by the host, to a
/// private bucket of the environment.
/// </summary>
internal static class BundleArtifact
{
    /// <summary>The bundle's location: <paramref name="upload"/> is called only for a local file.</summary>
    public static BundleLocation Locate(DeploymentBundle bundle, Func<string, BundleLocation> upload) =>
        bundle.IsLocal ? upload(bundle.LocalPath!) : BundleLocation.Released(bundle);

    /// <summary>The SHA-256 of a local file's content.</summary>
    public static byte[] Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream);
    }
}

/// <summary>Psoxy's URL conventions, the same on both hosts.</summary>
internal static class ProxyUrls
{
    /// <summary>Psoxy's endpoints end with a slash; the clouds report them with or without one.</summary>
    public static string WithTrailingSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
