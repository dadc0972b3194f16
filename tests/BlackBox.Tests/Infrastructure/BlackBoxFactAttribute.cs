namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// A test of the published proxy: skipped, with the reason, when there is no binary to test or a peer it
/// needs is missing. Each test has at most 30 s; every wait inside it is bounded more tightly.
/// </summary>
public sealed class BlackBoxFactAttribute : FactAttribute
{
    public BlackBoxFactAttribute(Needs needs = Needs.Nothing)
    {
        Skip = Requirements.SkipReason(needs);
        Timeout = Requirements.TestTimeoutMilliseconds;
    }
}

/// <inheritdoc cref="BlackBoxFactAttribute"/>
public sealed class BlackBoxTheoryAttribute : TheoryAttribute
{
    public BlackBoxTheoryAttribute(Needs needs = Needs.Nothing)
    {
        Skip = Requirements.SkipReason(needs);
        Timeout = Requirements.TestTimeoutMilliseconds;
    }
}

/// <summary>Peers a test needs beyond the binary and the loopback names.</summary>
[Flags]
public enum Needs
{
    Nothing = 0,

    /// <summary><c>moto_server</c> and Python's <c>boto3</c>, for a real Secrets Manager API.</summary>
    Moto = 1,

    /// <summary>The JIT build (<c>ProxyHost.dll</c>): only it runs a startup hook inside the proxy.</summary>
    JitBuild = 2,
}

/// <summary>Whether what a test needs is there; computed once per test run.</summary>
public static class Requirements
{
    public const int TestTimeoutMilliseconds = 30_000;

    private static readonly Lazy<string?> MotoSkipReason = new(MotoServer.SkipReason);

    public static string? SkipReason(Needs needs)
    {
        if (ProxyUnderTest.SkipReason is { } binary)
        {
            return binary;
        }

        if (LoopbackNames.SkipReason is { } names)
        {
            return names;
        }

        if (needs.HasFlag(Needs.JitBuild) && !ProxyUnderTest.IsJitBuild)
        {
            return $"{ProxyUnderTest.Variable} is not the JIT build (ProxyHost.dll): a startup hook needs it.";
        }

        return needs.HasFlag(Needs.Moto) ? MotoSkipReason.Value : null;
    }
}
