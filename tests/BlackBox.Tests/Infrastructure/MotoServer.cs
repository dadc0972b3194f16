using System.Net.Sockets;

namespace FingerprintProxy.BlackBox.Infrastructure;

/// <summary>
/// <c>moto_server</c> (the moto library's stand-alone AWS API server) on a free 127.0.0.1 port: a real
/// Secrets Manager API for the proxy to read. Secrets are written with boto3, the AWS SDK for Python,
/// as an operator's script would; moto accepts any credentials.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    public const string Region = "us-east-1";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    private const string Boto3Script = """
        import sys
        import boto3
        endpoint, region, operation, name, value = sys.argv[1:6]
        client = boto3.client("secretsmanager", region_name=region, endpoint_url=endpoint,
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        if operation == "create":
            client.create_secret(Name=name, SecretString=value)
        else:
            client.put_secret_value(SecretId=name, SecretString=value)
        """;

    private MotoServer(ChildProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ChildProcess Process { get; }

    public int Port { get; }

    /// <summary>The endpoint, for <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Why moto cannot be used here, or null when it can.</summary>
    public static string? SkipReason()
    {
        if (FindOnPath("moto_server") is null)
        {
            return "moto_server is not on PATH: the Secrets Manager checks need it (pip install 'moto[server]').";
        }

        if (FindOnPath("python3") is null)
        {
            return "python3 is not on PATH: the Secrets Manager checks write secrets with boto3.";
        }

        var probe = ChildProcess.Start("python3", "python3", ["-c", "import boto3"]);
        try
        {
            var exit = probe.WaitForExitAsync(TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
            return exit == 0 ? null : "python3 cannot import boto3: the Secrets Manager checks write secrets with it.";
        }
        finally
        {
            probe.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public static async Task<MotoServer> StartAsync()
    {
        var port = FreePort.Next();
        var process = ChildProcess.Start("moto_server", "moto_server", ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var moto = new MotoServer(process, port);
        try
        {
            await moto.WaitUntilListeningAsync();
            return moto;
        }
        catch
        {
            await moto.DisposeAsync();
            throw;
        }
    }

    public Task CreateSecretAsync(string name, string secretString) => RunBoto3Async("create", name, secretString);

    public Task PutSecretValueAsync(string name, string secretString) => RunBoto3Async("put", name, secretString);

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private async Task RunBoto3Async(string operation, string name, string secretString)
    {
        await using var python = ChildProcess.Start("boto3", "python3", ["-c", Boto3Script, Endpoint, Region, operation, name, secretString]);
        var exit = await python.WaitForExitAsync(ClientTimeout);
        if (exit != 0)
        {
            throw python.Failure($"boto3 {operation} of secret {name} failed");
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        // moto_server signals readiness only in its log: poll its port, bounded, and stop if it exits.
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (!deadline.IsCancellationRequested)
        {
            if (Process.HasExited)
            {
                throw Process.Failure("exited before listening");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", Port, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.WhenAny(Process.Exited, Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token));
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw Process.Failure($"not listening on port {Port} within {StartTimeout.TotalSeconds:0} s");
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
