using System.Text.Json.Nodes;
using FingerprintProxy.BlackBox.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FingerprintProxy.BlackBox.Lambda;

/// <summary>
/// The published proxy in Lambda mode (<c>AWS_LAMBDA_RUNTIME_API</c> set) against a fake Runtime API and a
/// fake Fingerprint, shared by the tests of one class.
/// </summary>
public sealed class LambdaFixture : IAsyncLifetime
{
    public FakeLambdaRuntime Runtime { get; private set; } = null!;

    public FakeFingerprint Upstream { get; private set; } = null!;

    public ChildProcess Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Requirements.SkipReason(Needs.Nothing) is not null)
        {
            return;
        }

        await LoopbackNames.EnsureAsync();
        Upstream = await FakeFingerprint.StartAsync();
        Runtime = await FakeLambdaRuntime.StartAsync();
        Proxy = LambdaModeTests.StartFunction(Runtime, new Dictionary<string, string>
        {
            ["FPJS_PRE_SHARED_SECRET"] = ProxyFixture.Secret,
            ["FPJS_INGRESS_BASE_URL"] = LoopbackNames.IngressUrl(Upstream.Port),
        });
        try
        {
            await Task.WhenAny(Runtime.FirstNext, Proxy.Exited).WaitAsync(ProxyProcess.StartTimeout);
        }
        catch (TimeoutException)
        {
            throw Proxy.Failure($"did not ask the Runtime API for an event within {ProxyProcess.StartTimeout.TotalSeconds:0} s");
        }

        if (!Runtime.FirstNext.IsCompleted)
        {
            throw Proxy.Failure("exited before asking the Runtime API for an event");
        }
    }

    public async Task DisposeAsync()
    {
        // The function first: it long-polls the Runtime API.
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        if (Runtime is not null)
        {
            await Runtime.DisposeAsync();
        }

        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}

/// <summary>Function URL events (payload format 2.0) through the published proxy, and their answers.</summary>
public sealed class LambdaModeTests : IClassFixture<LambdaFixture>, IDisposable
{
    private const string FunctionUrlHost = "q7zk3xkd4ubwyc4dq2mtvf6a3e0bigxo.lambda-url.us-east-1.on.aws";
    private const string ChromeUserAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string SecChUa = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"";
    private const string Iidt = "_iidt=7A8iJ2Dgb3T+CPn0Zl3zyWlN9r/hWnTU2fWXtu7C3bYB7ffXhvSC1g3hXO+6p6iM1Zml8rsDfQ==";

    private readonly LambdaFixture _fixture;
    private readonly ProcessLog _log;

    public LambdaModeTests(LambdaFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _log = new ProcessLog(output);
        if (fixture.Proxy is not null)
        {
            _log.Watch(fixture.Proxy);
            fixture.Upstream.Clear();
        }
    }

    /// <summary>
    /// Starts the binary as Lambda starts a function: no <c>--urls</c>, the Runtime API's address in the
    /// environment, and the function's runtime settings from <c>template.yaml</c> (a test's own settings win).
    /// </summary>
    public static ChildProcess StartFunction(FakeLambdaRuntime runtime, Dictionary<string, string> settings)
    {
        foreach (var (name, value) in FunctionEnvironment.Runtime)
        {
            settings.TryAdd(name, value);
        }

        settings["AWS_LAMBDA_RUNTIME_API"] = runtime.Address;
        settings["AWS_LAMBDA_FUNCTION_NAME"] = "fingerprint-proxy";
        settings["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1024";
        settings["AWS_REGION"] = "us-east-1";
        return ProxyProcess.Start(settings, []);
    }

    [BlackBoxFact]
    public async Task AgentEvent_IsProxiedToTheLoader_AndAnsweredWithTheScript()
    {
        const string script = "/* agent */ (function(){ return 'ü'; })();";
        _fixture.Upstream.Responder = context =>
        {
            context.Response.ContentType = "application/javascript; charset=utf-8";
            context.Response.Headers.CacheControl = "public, max-age=7200";
            context.Response.Headers.StrictTransportSecurity = "max-age=63072000";
            return context.Response.WriteAsync(script);
        };

        var result = await _fixture.Runtime.InvokeAsync(Event("GET", "/fpjs/agent", "apiKey=K&version=3&loaderVersion=3.12.15"));

        var upstream = _fixture.Upstream.Single();
        Assert.Equal("/web/v3/K/loader_v3.12.15.js", upstream.Path);
        Assert.Equal("?apiKey=K&version=3&loaderVersion=3.12.15", upstream.Query);
        Assert.Equal($"{LoopbackNames.Ingress}:{_fixture.Upstream.Port}", upstream.Host);
        Assert.False(result.IsError);
        Assert.Equal(200, result.StatusCode);
        Assert.StartsWith("application/javascript", result.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("public, max-age=3600, s-maxage=60", result.Headers["Cache-Control"]);
        Assert.False(result.Headers.ContainsKey("Strict-Transport-Security"));
        Assert.False(result.IsBase64Encoded);
        Assert.Equal(script, result.BodyText);
    }

    [BlackBoxFact]
    public async Task IdentificationEvent_ForwardsTheBinaryBodyAndSignals_AndReturnsEachCookie()
    {
        var body = Enumerable.Range(0, 512).Select(i => (byte)(255 - i % 256)).ToArray();
        string[] setCookies =
        [
            "_iidt=Jq3bMj0uUq8yG1xT+KJ1v6lS/2R0nA==; Path=/; Expires=Sun, 21 Nov 2027 09:14:07 GMT; HttpOnly; Secure; SameSite=None",
            "_vid_t=oN2dM3lNbu0w8SfNQ6wJ6A==; Path=/; Max-Age=31536000; Secure; SameSite=Lax",
        ];
        _fixture.Upstream.Responder = context =>
        {
            context.Response.Headers.Append("Set-Cookie", setCookies);
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{\"products\":{}}");
        };
        var evt = Event("POST", "/fpjs/", "ci=js/3.12.5&ii=fingerprint-pro-react%2F2.6.3%2Fnext&q=%7e|x", body, "2a02:8108:1240:7d00:4c1f:c2ff:fe3a:91b7");
        evt["cookies"] = new JsonArray(Iidt, "_ga=GA1.1.1873224391.1732180447", "consent=analytics,ads");
        evt["headers"]!["origin"] = "https://www.example.com";
        evt["headers"]!["content-type"] = "text/plain";

        var result = await _fixture.Runtime.InvokeAsync(evt);

        var upstream = _fixture.Upstream.Single();
        Assert.Equal("POST", upstream.Method);
        Assert.Equal("/", upstream.Path);
        Assert.StartsWith("?ci=js/3.12.5&ii=fingerprint-pro-react%2F2.6.3%2Fnext&q=%7e|x&ii=", upstream.Query, StringComparison.Ordinal);
        Assert.Equal(body, upstream.Body);
        Assert.Equal([Iidt], upstream.Header("Cookie"));
        Assert.Equal([ProxyFixture.Secret], upstream.Header("FPJS-Proxy-Secret"));
        Assert.Equal(["2a02:8108:1240:7d00:4c1f:c2ff:fe3a:91b7"], upstream.Header("FPJS-Proxy-Client-IP"));
        Assert.Equal([FunctionUrlHost], upstream.Header("FPJS-Proxy-Forwarded-Host"));
        Assert.Equal([ChromeUserAgent], upstream.Header("User-Agent"));
        Assert.Equal([SecChUa], upstream.Header("sec-ch-ua"));
        Assert.Equal(["en-GB,en;q=0.9,de-DE;q=0.8,de;q=0.7"], upstream.Header("Accept-Language"));
        Assert.False(result.IsError);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(setCookies, result.Cookies);
        Assert.DoesNotContain(result.Headers.Keys, k => k.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase));
        Assert.False(result.IsBase64Encoded);
        Assert.Equal("{\"products\":{}}", result.BodyText);
    }

    [BlackBoxFact]
    public async Task BinaryResponse_IsReturnedBase64Encoded()
    {
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31 % 256)).ToArray();
        _fixture.Upstream.Responder = context =>
        {
            context.Response.ContentType = "application/octet-stream";
            return context.Response.Body.WriteAsync(bytes).AsTask();
        };

        var result = await _fixture.Runtime.InvokeAsync(Event("GET", "/fpjs/result/browser-cache/x", "a=1"));

        Assert.Equal("/browser-cache/x", _fixture.Upstream.Single().Path);
        Assert.Equal(200, result.StatusCode);
        Assert.True(result.IsBase64Encoded);
        Assert.Equal(bytes, result.BodyBytes);
    }

    [BlackBoxFact]
    public async Task Invocation_IsCountedInAnEmfDocument_OnStandardOutput()
    {
        // Metrics reach CloudWatch through a MeterListener in the binary itself, whatever diagnostics
        // features its build leaves out.
        _fixture.Upstream.Responder = context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{}");
        };

        var result = await _fixture.Runtime.InvokeAsync(Event("GET", "/fpjs/result/browser-cache/emf", string.Empty));
        var line = await _fixture.Proxy.WaitForLineAsync(
            line => line.StartsWith('{') && line.Contains("\"Requests\"", StringComparison.Ordinal) && line.Contains("\"_aws\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20));

        Assert.Equal(200, result.StatusCode);
        var document = JsonNode.Parse(line)!.AsObject();
        var directive = document["_aws"]!["CloudWatchMetrics"]!.AsArray().Single(d => d!["Metrics"]!.AsArray().Any(m => (string?)m!["Name"] == "Requests"))!;
        Assert.Equal("FingerprintProxy", (string?)directive["Namespace"]);
        Assert.True((double)document["Requests"]! >= 1, line);
    }

    [BlackBoxFact]
    public async Task InvalidSetting_IsReportedToInitError_AndTheProcessExitsNonZero()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync();
        await using var function = StartFunction(runtime, new Dictionary<string, string> { ["FPJS_BEHAVIOR_PATH"] = "a/b" });
        _log.Watch(function);

        var initError = await runtime.InitError.WaitAsync(TimeSpan.FromSeconds(20));
        var exitCode = await function.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("Runtime.ConfigInvalid", initError.ErrorType);
        Assert.Contains("FPJS_BEHAVIOR_PATH", (string?)initError.Document["errorMessage"], StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
        Assert.False(runtime.FirstNext.IsCompleted);
    }

    public void Dispose() => _log.Dispose();

    /// <summary>A Function URL event as Lambda delivers it: payload format 2.0, browser headers, optional base64 body.</summary>
    internal static JsonObject Event(string method, string rawPath, string rawQuery, byte[]? body = null, string sourceIp = "198.51.100.7")
    {
        var headers = new JsonObject
        {
            ["accept"] = "*/*",
            ["accept-language"] = "en-GB,en;q=0.9,de-DE;q=0.8,de;q=0.7",
            ["host"] = FunctionUrlHost,
            ["sec-ch-ua"] = SecChUa,
            ["sec-ch-ua-mobile"] = "?0",
            ["user-agent"] = ChromeUserAgent,
            ["x-amzn-trace-id"] = "Root=1-673ef9df-3c2b1a0e5d6f7a8b9c0d1e2f",
            ["x-forwarded-for"] = sourceIp,
            ["x-forwarded-port"] = "443",
            ["x-forwarded-proto"] = "https",
        };
        if (body is not null)
        {
            headers["content-length"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = rawPath,
            ["rawQueryString"] = rawQuery,
            ["headers"] = headers,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "anonymous",
                ["apiId"] = "q7zk3xkd4ubwyc4dq2mtvf6a3e0bigxo",
                ["domainName"] = FunctionUrlHost,
                ["domainPrefix"] = "q7zk3xkd4ubwyc4dq2mtvf6a3e0bigxo",
                ["http"] = new JsonObject
                {
                    ["method"] = method,
                    ["path"] = rawPath,
                    ["protocol"] = "HTTP/1.1",
                    ["sourceIp"] = sourceIp,
                    ["userAgent"] = ChromeUserAgent,
                },
                ["requestId"] = Guid.NewGuid().ToString(),
                ["routeKey"] = "$default",
                ["stage"] = "$default",
                ["time"] = "01/Dec/2026:09:14:07 +0000",
                ["timeEpoch"] = 1796116447123,
            },
            ["body"] = body is null ? null : Convert.ToBase64String(body),
            ["isBase64Encoded"] = body is not null,
        };
    }
}
