using Psoxy.Infra.Cli;

namespace Psoxy.Infra.Tests.Testing;

/// <summary>Runs the program's command line as a user does from the repository root, capturing what it prints.</summary>
internal static class CommandRun
{
    public static Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(color: false, args);

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(bool color, params string[] args) =>
        await Repository.InRootAsync(async () =>
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var exit = await PsoxyCommandLine.RunAsync(args, new CommandOutput(stdout, stderr, color));
            return (exit, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString());
        });
}
