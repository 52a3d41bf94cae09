namespace Psoxy.Infra.Configuration;

/// <summary>
/// Local paths in the stack configuration (such as a deployment bundle) are relative to the Pulumi project: the
/// directory holding Pulumi.yaml. <c>pulumi up</c> runs the program from its <c>main</c> folder and the offline plan
/// from wherever it is started, so the project directory is found by walking up from the working directory.
/// </summary>
internal static class ProjectPaths
{
    public const string ProjectFileName = "Pulumi.yaml";

    /// <summary>The directory holding Pulumi.yaml, at or above the working directory; the working directory if none.</summary>
    public static string ProjectDirectory()
    {
        var start = Directory.GetCurrentDirectory();
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ProjectFileName)))
            {
                return directory.FullName;
            }
        }

        return start;
    }

    /// <summary>An absolute path for <paramref name="path"/>, resolving relative paths against the project directory.</summary>
    public static string Resolve(string path) =>
        Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(ProjectDirectory(), path));
}
