using System.Diagnostics;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Cli;

/// <summary>
/// The program as a process with a standard stream closed by the shell (<c>&gt;&amp;-</c>, <c>&lt;&amp;-</c>): it never
/// crashes (exit 134, a stack trace) nor waits forever.
/// </summary>
public sealed class StandardStreamsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("psoxy-streams-");

    public void Dispose() => _directory.Delete(recursive: true);

    /// <summary>Runs the built program through /bin/sh with <paramref name="redirection"/> applied to it.</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string redirection, params string[] args)
    {
        var assembly = typeof(PsoxyStack).Assembly.Location;
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"exec dotnet \"$@\" {redirection}", "sh", assembly, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task ClosedStandardOutput_ExitsOne_SayingSo_WithoutAStackTrace()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return; // needs a POSIX shell
        }


        var (exit, _, stderr) = await RunAsync(">&-", "plan");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("psoxy: standard output is closed", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosedStandardInput_ForMigrate_FailsAtOnce_WritingNothing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // closed standard input is detected through /proc
        }

        var outDirectory = Path.Combine(_directory.FullName, "out");

        var (exit, _, stderr) = await RunAsync("<&-", "migrate", "--terraform-state", "-", "--environment", "prod", "--out", outDirectory);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--terraform-state '-': cannot read it (standard input is closed)", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDirectory));
    }

    [Fact]
    public async Task ClosedStandardInput_ForVerify_FailsAtOnce()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // closed standard input is detected through /proc
        }


        var (exit, stdout, stderr) = await RunAsync("<&-", "verify", "--outputs", "-");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--outputs '-': cannot read standard input (standard input is closed)", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task EmptyStandardInput_ForMigrate_SaysItWasEmpty()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return; // needs a POSIX shell
        }


        var (exit, _, stderr) = await RunAsync("</dev/null", "migrate", "--terraform-state", "-", "--environment", "prod", "--out", _directory.FullName);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("standard input was empty", stderr, StringComparison.Ordinal);
    }
}
