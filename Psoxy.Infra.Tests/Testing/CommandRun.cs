using Psoxy.Infra.Cli;

namespace Psoxy.Infra.Tests.Testing;

/// <summary>Runs the program's command line as a user does from the repository root, capturing what it prints.</summary>
internal static class CommandRun
{
    public static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(color: false, args);

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(bool color, params string[] args) =>
        await Repository.InRootAsync(() => RunHereAsync(color, args));

    /// <summary>Runs the command line from <paramref name="directory"/> instead, as a user elsewhere does.</summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunInAsync(string directory, params string[] args)
    {
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(directory);
        try
        {
            return await RunHereAsync(color: false, args);
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunHereAsync(bool color, string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await PsoxyCommandLine.RunAsync(args, new CommandOutput(stdout, stderr, color));
        return (exit, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
    }
}
