using System.Globalization;
using System.Text.Json;

namespace Pulumi;

/// <summary>
/// A bag of configuration values under one namespace (the project name by default), read from
/// <c>PULUMI_CONFIG</c> when the deployment starts.
/// </summary>
public sealed class Config
{
    private readonly string _name;

    public Config(string? name = null)
    {
        name ??= Deployment.Instance.ProjectName;
        if (name.EndsWith(":config", StringComparison.Ordinal))
        {
            name = name[..^":config".Length];
        }

        _name = name;
    }

    private string FullKey(string key) => $"{_name}:{key}";

    // The official SDK has the warning about reading a secret with a non-secret getter switched
    // off (pulumi/pulumi#7127), so none is logged here either.
    private string? GetImpl(string key) => Deployment.Current.GetConfig(FullKey(key));

    public string? Get(string key) => GetImpl(key);

    public Output<string>? GetSecret(string key) => GetImpl(key) is { } v ? Output.CreateSecret(v) : null;

    private bool? GetBooleanImpl(string key) => GetImpl(key) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var v => throw new ConfigTypeException(FullKey(key), v, nameof(Boolean)),
    };

    public bool? GetBoolean(string key) => GetBooleanImpl(key);

    public Output<bool>? GetSecretBoolean(string key) => GetBooleanImpl(key) is { } v ? Output.CreateSecret(v) : null;

    private int? GetInt32Impl(string key)
    {
        var v = GetImpl(key);
        if (v == null)
        {
            return null;
        }

        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new ConfigTypeException(FullKey(key), v, nameof(Int32));
    }

    public int? GetInt32(string key) => GetInt32Impl(key);

    public Output<int>? GetSecretInt32(string key) => GetInt32Impl(key) is { } v ? Output.CreateSecret(v) : null;

    private double? GetDoubleImpl(string key)
    {
        var v = GetImpl(key);
        if (v == null)
        {
            return null;
        }

        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new ConfigTypeException(FullKey(key), v, nameof(Double));
    }

    public double? GetDouble(string key) => GetDoubleImpl(key);

    public Output<double>? GetSecretDouble(string key) => GetDoubleImpl(key) is { } v ? Output.CreateSecret(v) : null;

    private T GetObjectImpl<T>(string key, JsonSerializerOptions? options)
    {
        var v = GetImpl(key);
        try
        {
            return v == null ? default! : JsonSerializer.Deserialize<T>(v, options)!;
        }
        catch (JsonException ex)
        {
            throw new ConfigTypeException(FullKey(key), v, typeof(T).FullName!, ex);
        }
    }

    public T GetObject<T>(string key) => GetObjectImpl<T>(key, null);

    public T GetObject<T>(string key, JsonSerializerOptions options) => GetObjectImpl<T>(key, options);

    public Output<T>? GetSecretObject<T>(string key)
        => GetImpl(key) == null ? null : Output.CreateSecret(GetObjectImpl<T>(key, null));

    public Output<T>? GetSecretObject<T>(string key, JsonSerializerOptions options)
    {
        var v = GetObjectImpl<T>(key, options);
        return v == null ? null : Output.CreateSecret(v);
    }

    public string Require(string key) => GetImpl(key) ?? throw new ConfigMissingException(FullKey(key));

    public Output<string> RequireSecret(string key) => Output.CreateSecret(Require(key));

    public bool RequireBoolean(string key) => GetBooleanImpl(key) ?? throw new ConfigMissingException(FullKey(key));

    public Output<bool> RequireSecretBoolean(string key) => Output.CreateSecret(RequireBoolean(key));

    public int RequireInt32(string key) => GetInt32Impl(key) ?? throw new ConfigMissingException(FullKey(key));

    public Output<int> RequireSecretInt32(string key) => Output.CreateSecret(RequireInt32(key));

    public double RequireDouble(string key) => GetDoubleImpl(key) ?? throw new ConfigMissingException(FullKey(key));

    public Output<double> RequireSecretDouble(string key) => Output.CreateSecret(RequireDouble(key));

    private T RequireObjectImpl<T>(string key, JsonSerializerOptions? options)
        => GetImpl(key) == null ? throw new ConfigMissingException(FullKey(key)) : GetObjectImpl<T>(key, options);

    public T RequireObject<T>(string key) => RequireObjectImpl<T>(key, null);

    public T RequireObject<T>(string key, JsonSerializerOptions options) => RequireObjectImpl<T>(key, options);

    public Output<T> RequireSecretObject<T>(string key) => Output.CreateSecret(RequireObjectImpl<T>(key, null));

    public Output<T> RequireSecretObject<T>(string key, JsonSerializerOptions options) => Output.CreateSecret(RequireObjectImpl<T>(key, options));
}
