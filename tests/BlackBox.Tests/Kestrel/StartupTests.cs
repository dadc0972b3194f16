using FingerprintProxy.BlackBox.Infrastructure;

namespace FingerprintProxy.BlackBox.Kestrel;

/// <summary>An invalid setting stops the published proxy at start-up, naming the setting (Kestrel mode).</summary>
public sealed class StartupTests(ITestOutputHelper output) : IDisposable
{
    private readonly ProcessLog _log = new(output);

    [BlackBoxTheory]
    [InlineData("FPJS_BEHAVIOR_PATH", "a/b", false)]
    [InlineData("FPJS_AGENT_DOWNLOAD_PATH", "agent loader", false)]
    [InlineData("FPJS_MAX_BODY_BYTES", "lots", false)]
    [InlineData("FPJS_BEHAVIOR_PATH", "a/b", true)]
    public async Task InvalidSetting_StopsTheProcess_WithAMessageNamingIt(string key, string value, bool onCommandLine)
    {
        var environment = new Dictionary<string, string>();
        var arguments = new List<string> { $"--urls=http://127.0.0.1:{FreePort.Next()}" };
        if (onCommandLine)
        {
            arguments.Add($"--{key}={value}");
        }
        else
        {
            environment[key] = value;
        }

        await using var proxy = ProxyProcess.Start(environment, arguments);
        _log.Watch(proxy);

        var exitCode = await proxy.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(key, proxy.Output, StringComparison.Ordinal);
        // A configuration error is a message and exit code 1, never an unhandled exception's abort and stack trace.
        Assert.Equal(1, exitCode);
        Assert.DoesNotContain("Unhandled exception", proxy.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", proxy.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _log.Dispose();
}
