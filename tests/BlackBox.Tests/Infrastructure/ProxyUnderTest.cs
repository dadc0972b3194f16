namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// The published proxy these tests run: <c>PROXY_UNDER_TEST</c> names a native executable (Native AOT, or
/// a self-contained apphost) or a <c>ProxyHost.dll</c>, which is run with <c>dotnet</c>.
/// </summary>
public static class ProxyUnderTest
{
    public const string Variable = "PROXY_UNDER_TEST";

    /// <summary>The path from <c>PROXY_UNDER_TEST</c>, or null when it is not set.</summary>
    public static string? Path => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? System.IO.Path.GetFullPath(path) : null;

    /// <summary>Why the black-box tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => Path is null
        ? $"{Variable} is not set: the black-box tests run a published proxy (tests/blackbox/run.sh publishes it and sets {Variable})."
        : null;

    /// <summary>Whether the binary is the JIT build, a <c>ProxyHost.dll</c> run with <c>dotnet</c>.</summary>
    public static bool IsJitBuild => Path?.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The program to start and the arguments that come before the proxy's own.</summary>
    public static (string FileName, string[] Arguments) Command()
    {
        var path = Path ?? throw new InvalidOperationException(SkipReason);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{Variable} names {path}, which does not exist.", path);
        }

        return IsJitBuild ? (DotnetHost(), [path]) : (path, []);
    }

    private static string DotnetHost()
    {
        // The SDK tells child processes which muxer runs them; the test host itself runs under it too.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && System.IO.Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
