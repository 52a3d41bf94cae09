namespace Psoxy.Infra.Tests.Testing;

/// <summary>The repository the tests run from: its root (where Pulumi.yaml is) and its stack files.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Every stack file in the repository: Pulumi.*.yaml at the root and in stacks/.</summary>
    public static IReadOnlyList<string> StackFiles => Psoxy.Infra.Configuration.ProjectPaths.StackFiles(Root);

    /// <summary>Runs <paramref name="action"/> with the repository root as working directory, as the README's commands do.</summary>
    public static async Task<T> InRootAsync<T>(Func<Task<T>> action)
    {
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Root);
        try
        {
            return await action();
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pulumi.yaml")) && File.Exists(Path.Combine(directory.FullName, "Psoxy.Infra.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run inside the repository (no Pulumi.yaml above " + AppContext.BaseDirectory + ").");
    }
}
