namespace Psoxy.Infra.Configuration;

/// <summary>
/// Where the released Psoxy bundle comes from: an object already in the host cloud's storage
/// (<c>s3://bucket/key</c>, <c>gs://bucket/object</c>), or a local file that the stack uploads.
/// </summary>
internal sealed record DeploymentBundle
{
    private DeploymentBundle(string? bucket, string? objectKey, string? localPath)
    {
        Bucket = bucket;
        ObjectKey = objectKey;
        LocalPath = localPath;
    }

    /// <summary>The bucket holding the bundle; null for a local file.</summary>
    public string? Bucket { get; }

    /// <summary>The bundle's key in <see cref="Bucket"/>; null for a local file.</summary>
    public string? ObjectKey { get; }

    /// <summary>The absolute path of a local bundle to upload; null for a remote one.</summary>
    public string? LocalPath { get; }

    public bool IsLocal => LocalPath is not null;

    /// <summary>The bundle's file name (what Psoxy reports as <c>BUNDLE_FILENAME</c>).</summary>
    public string FileName => IsLocal ? Path.GetFileName(LocalPath!) : ObjectKey![(ObjectKey!.LastIndexOf('/') + 1)..];

    /// <summary>
    /// Parses <paramref name="value"/>: a <c>scheme://bucket/key</c> URI whose key ends with one of
    /// <paramref name="extensions"/>, or a path (relative to the project directory) of an existing local file with one
    /// of them. Returns null when it is neither.
    /// </summary>
    public static DeploymentBundle? Parse(string value, string scheme, IReadOnlyList<string> extensions)
    {
        bool HasExtension(string name) => extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

        var prefix = scheme + "://";
        if (value.StartsWith(prefix, StringComparison.Ordinal))
        {
            var rest = value[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == rest.Length - 1)
            {
                return null;
            }

            var bucket = rest[..slash];
            var key = rest[(slash + 1)..];
            var bucketOk = bucket.Length is >= 3 and <= 222 && bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_');
            return bucketOk && HasExtension(key) && !key.EndsWith('/') ? new DeploymentBundle(bucket, key, null) : null;
        }

        if (value.Contains("://", StringComparison.Ordinal) || !HasExtension(value))
        {
            return null;
        }

        var path = ProjectPaths.Resolve(value);
        return File.Exists(path) ? new DeploymentBundle(null, null, path) : null;
    }
}
