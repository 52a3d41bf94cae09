using System.Collections.Immutable;

namespace Pulumi.Utilities;

/// <summary>Low-level access to the state of outputs.</summary>
public static class OutputUtilities
{
    /// <summary>The value of the output, or the default value of <typeparamref name="T"/> when it is unknown.</summary>
    public static async Task<T> GetValueAsync<T>(Output<T> output)
        => (await output.DataTask.ConfigureAwait(false)).Value;

    public static async Task<bool> GetIsKnownAsync<T>(Output<T> output)
        => (await output.DataTask.ConfigureAwait(false)).IsKnown;

    public static async Task<ImmutableHashSet<Resource>> GetDependenciesAsync<T>(Output<T> output)
        => (await output.DataTask.ConfigureAwait(false)).Resources;

    public static Output<T> CreateUnknown<T>(T value) => Output<T>.CreateUnknown(value);

    public static Output<T> CreateUnknown<T>(Func<Task<T>> valueFactory)
        => new(CreateUnknownAsync(valueFactory));

    private static async Task<OutputData<T>> CreateUnknownAsync<T>(Func<Task<T>> valueFactory)
        => OutputData.Create(ImmutableHashSet<Resource>.Empty, await valueFactory().ConfigureAwait(false), false, false);

    public static Output<T> WithDependency<T>(Output<T> output, Resource resource)
        => output.WithResource(resource);
}
