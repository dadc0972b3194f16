using System.Net;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// The published proxy running as a child process in Kestrel mode on <c>http://127.0.0.1:&lt;port&gt;</c>,
/// configured through environment variables (and optionally command-line arguments).
/// </summary>
public sealed class ProxyProcess : IAsyncDisposable
{
    /// <summary>How long the proxy may take from process start to its first <c>/healthz</c> answer.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private ProxyProcess(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
        Client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(15),
        };
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    /// <summary>A client for the proxy: no redirects followed, no cookies, no decompression.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the proxy with <paramref name="environment"/> and waits until <c>GET /healthz</c> answers 200.</summary>
    public static async Task<ProxyProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var port = FreePort.Next();
        var process = Start(environment, [$"--urls=http://127.0.0.1:{port}", .. arguments]);
        var proxy = new ProxyProcess(process, port);
        try
        {
            await proxy.WaitUntilHealthyAsync();
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the binary as it is, for the tests that watch it fail or run it in Lambda mode.</summary>
    public static ChildProcess Start(IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        var (fileName, prefix) = ProxyUnderTest.Command();
        return ChildProcess.Start("proxy", fileName, [.. prefix, .. arguments], environment);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }

    private async Task WaitUntilHealthyAsync()
    {
        // A separate process gives no signal of its own: poll its liveness endpoint, bounded, and stop at
        // once if it exits.
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (Process.HasExited)
            {
                throw Process.Failure("exited before answering GET /healthz");
            }

            try
            {
                using var response = await Client.GetAsync("/healthz", deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                break;
            }

            await Task.WhenAny(Process.Exited, Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token));
        }

        throw Process.Failure($"no 200 from GET /healthz on port {Port} within {StartTimeout.TotalSeconds:0} s");
    }
}
