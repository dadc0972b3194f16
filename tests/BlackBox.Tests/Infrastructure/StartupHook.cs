using FingerprintProxy.BlackBox.Infrastructure;

#pragma warning disable CA1050 // The runtime looks the hook up by this exact name, outside any namespace.

/// <summary>
/// Runs inside the published proxy (the JIT build) when <c>DOTNET_STARTUP_HOOKS</c> names this assembly:
/// starts a <see cref="ServiceGraphRecorder"/> before <c>Program</c> builds its host.
/// </summary>
internal static class StartupHook
{
    private static ServiceGraphRecorder? _recorder;

    public static void Initialize() => _recorder = new ServiceGraphRecorder();
}
