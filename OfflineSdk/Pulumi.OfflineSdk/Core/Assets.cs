using System.Collections.Immutable;

namespace Pulumi;

/// <summary>An asset or an archive: file content that a resource takes as an input.</summary>
public abstract class AssetOrArchive
{
    private protected AssetOrArchive(string sigKey, string propName, object value)
    {
        SigKey = sigKey;
        PropName = propName;
        Value = value ?? throw new ArgumentNullException(propName);
    }

    /// <summary>The signature that tells the engine whether this is an asset or an archive.</summary>
    internal string SigKey { get; }

    /// <summary>The wire name of the value: path, text, uri or assets.</summary>
    internal string PropName { get; }

    internal object Value { get; }
}

/// <summary>A single blob of content.</summary>
public abstract class Asset : AssetOrArchive
{
    private protected Asset(string propName, object value) : base(WireConstants.AssetSig, propName, value)
    {
    }
}

/// <summary>A collection of named assets or archives.</summary>
public abstract class Archive : AssetOrArchive
{
    private protected Archive(string propName, object value) : base(WireConstants.ArchiveSig, propName, value)
    {
    }
}

/// <summary>An asset read from a local file.</summary>
public sealed class FileAsset : Asset
{
    public FileAsset(string path) : base(WireConstants.AssetOrArchivePathName, path)
    {
    }
}

/// <summary>An asset given as literal text.</summary>
public sealed class StringAsset : Asset
{
    public StringAsset(string text) : base(WireConstants.AssetTextName, text)
    {
    }
}

/// <summary>An asset fetched from a URI.</summary>
public sealed class RemoteAsset : Asset
{
    public RemoteAsset(string uri) : base(WireConstants.AssetOrArchiveUriName, uri)
    {
    }
}

/// <summary>An archive read from a local file or folder.</summary>
public sealed class FileArchive : Archive
{
    public FileArchive(string path) : base(WireConstants.AssetOrArchivePathName, path)
    {
    }
}

/// <summary>An archive fetched from a URI.</summary>
public sealed class RemoteArchive : Archive
{
    public RemoteArchive(string uri) : base(WireConstants.AssetOrArchiveUriName, uri)
    {
    }
}

/// <summary>An archive made of named assets and archives.</summary>
public sealed class AssetArchive : Archive
{
    public AssetArchive(IDictionary<string, AssetOrArchive> assets)
        : base(WireConstants.ArchiveAssetsName, assets.ToImmutableDictionary())
    {
    }
}

/// <summary>Well-known names and signatures of the Pulumi wire format.</summary>
internal static class WireConstants
{
    public const string UnknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    public const string SpecialSigKey = "4dabf18193072939515e22adb298388d";
    public const string AssetSig = "c44067f5952c0a294b673a41bacd8c17";
    public const string ArchiveSig = "0def7320c3a5731c473e5ecbe6d01bc7";
    public const string SecretSig = "1b47061264138c4ac30d75fd1eb44270";
    public const string ResourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
    public const string AssetOrArchivePathName = "path";
    public const string AssetOrArchiveUriName = "uri";
    public const string AssetTextName = "text";
    public const string ArchiveAssetsName = "assets";
    public const string UrnPropertyName = "urn";
    public const string IdPropertyName = "id";
    public const string RootStackType = "pulumi:pulumi:Stack";
}
