using FingerprintProxy.BlackBox.Infrastructure;

namespace FingerprintProxy.BlackBox.NativeAot;

/// <summary>
/// The Native AOT executable is built without EventSource and EventPipe (<c>EventSourceSupport=false</c> in
/// <c>src/ProxyHost/ProxyHost.csproj</c>), so it opens no diagnostics socket in the temporary directory, which
/// a read-only root file system could not hold; the JIT build keeps them for <c>dotnet-counters</c> and
/// <c>dotnet-trace</c>.
/// </summary>
public sealed class DiagnosticsSocketTests(ITestOutputHelper output) : IDisposable
{
    private readonly ProcessLog _log = new(output);

    [BlackBoxFact]
    public async Task DiagnosticsSocket_IsOpenedByTheJitBuildOnly()
    {
        await using var proxy = await ProxyProcess.StartAsync(new Dictionary<string, string>());
        _log.Watch(proxy.Process);

        // The runtime opens its socket before Main runs, and the proxy has answered /healthz by now. The name
        // holds the process's start time as well as its id: sockets of earlier processes with the same id stay
        // behind when those are killed.
        var socket = Path.Combine(Path.GetTempPath(), $"dotnet-diagnostic-{proxy.Process.Id}-{StartTime(proxy.Process.Id)}-socket");

        Assert.Equal(ProxyUnderTest.IsJitBuild, File.Exists(socket));
    }

    /// <summary>The process's start time in clock ticks after boot: field 22 of <c>/proc/&lt;pid&gt;/stat</c>.</summary>
    private static string StartTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");

        // Fields 3 onwards follow the parenthesised command name, which may itself hold spaces.
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[22 - 3];
    }

    public void Dispose() => _log.Dispose();
}
