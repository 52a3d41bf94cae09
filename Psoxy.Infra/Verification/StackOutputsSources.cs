using System.ComponentModel;
using System.Diagnostics;

namespace Psoxy.Infra.Verification;

/// <summary>Reads a stack's outputs JSON by stack name.</summary>
internal interface IStackOutputsSource
{
    /// <exception cref="OutputsException">The outputs could not be read; the message says why.</exception>
    Task<string> ReadAsync(string stackName, CancellationToken ct);
}

/// <summary>Runs <c>pulumi stack output --json --show-secrets --stack NAME</c> with the <c>pulumi</c> CLI on PATH.</summary>
internal sealed class PulumiCliOutputsSource : IStackOutputsSource
{
    public async Task<string> ReadAsync(string stackName, CancellationToken ct)
    {
        var pulumi = FindOnPath(OperatingSystem.IsWindows() ? "pulumi.exe" : "pulumi")
            ?? throw new OutputsException("the pulumi CLI is not on PATH; install it, or pass the outputs with --outputs FILE (from `pulumi stack output --json --show-secrets`).");

        var start = new ProcessStartInfo(pulumi)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "stack", "output", "--json", "--show-secrets", "--stack", stackName })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new OutputsException("the pulumi CLI did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new OutputsException($"`pulumi stack output --stack {stackName}` failed (exit {process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()}");
            }

            return await stdout.ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw new OutputsException($"the pulumi CLI could not be run: {e.Message}");
        }
    }

    private static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(File.Exists);
}
