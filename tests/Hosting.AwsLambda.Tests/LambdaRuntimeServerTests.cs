using FingerprintProxy.Tests.Infrastructure;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;

namespace FingerprintProxy.Hosting.AwsLambda.Tests;

/// <summary>
/// The Lambda server against a fake Runtime API: request mapping as the pipeline sees it (compared with
/// Kestrel for the same raw request), response mapping as the Function URL receives it, and the failure paths.
/// </summary>
public sealed class LambdaRuntimeServerTests : IClassFixture<LambdaFixture>
{
    private readonly LambdaFixture _fixture;

    public LambdaRuntimeServerTests(LambdaFixture fixture)
    {
        _fixture = fixture;
        fixture.Custom = _ => Task.CompletedTask;
    }

    private FakeLambdaRuntime Runtime => _fixture.Runtime;

    [Fact]
    public async Task RecordedPost_ReachesThePipeline_WithHeadersUnsplitCookiesJoinedAndBinaryBody()
    {
        var evt = FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody);

        var echo = await EchoAsync(evt);

        var headers = evt["headers"]!.AsObject();
        Assert.Equal("POST", (string?)echo["method"]);
        Assert.Equal("https", (string?)echo["scheme"]);
        Assert.True((bool)echo["isHttps"]!);
        Assert.Equal("HTTP/1.1", (string?)echo["protocol"]);
        Assert.Equal("/fpjs/", (string?)echo["path"]);
        Assert.Equal("?ci=js/3.12.5&ii=fingerprint-pro-react%2F2.6.3%2Fnext&ii=b&q=%7e|x", (string?)echo["queryString"]);
        Assert.Equal("/fpjs/?ci=js/3.12.5&ii=fingerprint-pro-react%2F2.6.3%2Fnext&ii=b&q=%7e|x", (string?)echo["rawTarget"]);
        Assert.Equal((string?)headers["host"], (string?)echo["host"]);
        Assert.Equal("2a02:8108:1240:7d00:4c1f:c2ff:fe3a:91b7", (string?)echo["remoteIp"]);
        // Values with commas of their own arrive whole and byte-identical, one value each.
        Assert.Equal([(string)headers["user-agent"]!], Values(echo, "user-agent"));
        Assert.Equal([(string)headers["sec-ch-ua"]!], Values(echo, "sec-ch-ua"));
        Assert.Equal([(string)headers["accept-language"]!], Values(echo, "accept-language"));
        Assert.Equal(
            ["_iidt=7A8iJ2Dgb3T+CPn0Zl3zyWlN9r/hWnTU2fWXtu7C3bYB7ffXhvSC1g3hXO+6p6iM1Zml8rsDfQ==; _ga=GA1.1.1873224391.1732180447; session=abc%3Bdef; consent=analytics,ads"],
            Values(echo, "cookie"));
        var body = FunctionUrlEvents.Body(evt);
        Assert.Equal(body, Convert.FromBase64String((string)echo["body"]!));
        Assert.Equal(body.Length, (long)echo["contentLength"]!);
        Assert.True((bool)echo["canHaveBody"]!);
        Assert.False((bool)echo["abortedAtStart"]!);
    }

    [Fact]
    public async Task RecordedGet_EncodedPathAndRepeatedQueryKeys_AreMappedAsKestrelDoes()
    {
        var evt = FunctionUrlEvents.Load(FunctionUrlEvents.GetEncodedPath);

        var echo = await EchoAsync(evt);

        Assert.Equal("/fpjs/web/v4/abc def", (string?)echo["path"]);
        Assert.Equal("/fpjs/web/v4/abc%20def?ii=a&ii=b&region=eu&q=%C3%A9%2F", (string?)echo["rawTarget"]);
        Assert.Equal("?ii=a&ii=b&region=eu&q=%C3%A9%2F", (string?)echo["queryString"]);
        Assert.Equal(["a, b ,c;d=\"e,f\""], Values(echo, "x-custom-header"));
        Assert.Equal("203.0.113.54", (string?)echo["remoteIp"]);
        Assert.False((bool)echo["canHaveBody"]!);
        Assert.Null(echo["contentLength"]);
        Assert.Equal(string.Empty, (string?)echo["body"]);
    }

    [Theory]
    [InlineData(FunctionUrlEvents.PostBinaryBody)]
    [InlineData(FunctionUrlEvents.GetEncodedPath)]
    public async Task RecordedEvent_ReachesThePipeline_AsTheSameRequestDoesOnKestrel(string eventFile)
    {
        var evt = FunctionUrlEvents.Load(eventFile);
        var lambda = await EchoAsync(evt);

        var kestrel = await KestrelEchoAsync(evt);

        foreach (var field in new[] { "method", "path", "pathBase", "queryString", "rawTarget", "host", "contentLength", "canHaveBody", "body" })
        {
            Assert.Equal(kestrel[field]?.ToJsonString(), lambda[field]?.ToJsonString());
        }

        // Kestrel's raw request carries no x-amzn-* / x-forwarded-* (added by the Function URL front end) and
        // closes its connection; everything else is the same, name for name and byte for byte.
        Assert.Equal(Comparable(kestrel).Where(h => !h.StartsWith("connection:", StringComparison.Ordinal)), Comparable(lambda));
    }

    [Theory]
    [InlineData("/a%20b/c", "")]
    [InlineData("/a%2Fb", "x=%2F")]
    [InlineData("/a%2fb/%2e%2e/c", "")]
    [InlineData("/a/./b/../c", "y=1&y=2")]
    [InlineData("/a/%2E%2E/%2E/b", "")]
    [InlineData("/a/b/..", "")]
    [InlineData("/caf%C3%A9/%E2%82%AC/%F0%9F%98%80", "q=%C3%A9")]
    [InlineData("/bad%C3/%FF%FE/%E2%82", "")]
    [InlineData("/%C0%AF/%ED%A0%80", "")]
    [InlineData("/a%3Fb%23c%25d", "")]
    [InlineData("/a//b///c", "")]
    [InlineData("/a|b/~c/%7E", "q=|&r=%7c")]
    public async Task PathAndQuery_AreTheSameInLambdaAndKestrelModes(string rawPath, string rawQuery)
    {
        var evt = FunctionUrlEvents.Create("GET", rawPath, rawQuery);
        var lambda = await EchoAsync(evt);

        var kestrel = await KestrelEchoAsync(evt);

        Assert.Equal((string?)kestrel["path"], (string?)lambda["path"]);
        Assert.Equal((string?)kestrel["pathBase"], (string?)lambda["pathBase"]);
        Assert.Equal((string?)kestrel["queryString"], (string?)lambda["queryString"]);
        Assert.Equal((string?)kestrel["rawTarget"], (string?)lambda["rawTarget"]);
    }

    [Fact]
    public async Task EncodedNulInThePath_IsRefused400WithoutRunningThePipeline_AsKestrelDoes()
    {
        var evt = FunctionUrlEvents.Create("GET", "/a%00b");
        var (head, _) = FunctionUrlEvents.ToRawHttp(evt);
        var before = _fixture.Lambda.Requests;

        var lambda = await Runtime.InvokeAsync(evt.ToJsonString());
        var (kestrel, _) = await RawHttp.SendAsync(_fixture.Kestrel.Port, head);

        Assert.Equal(400, kestrel);
        Assert.Equal(400, lambda.StatusCode);
        Assert.Equal(before, _fixture.Lambda.Requests);
    }

    [Fact]
    public async Task HeaderBlockOverKestrelsLimit_Answers431WithoutRunningThePipeline_AsKestrelDoes()
    {
        var evt = FunctionUrlEvents.Create("GET", "/echo").WithHeader("x-big", new string('a', 40 * 1024));
        var (head, _) = FunctionUrlEvents.ToRawHttp(evt);
        var before = _fixture.Lambda.Requests;

        var lambda = await Runtime.InvokeAsync(evt.ToJsonString());
        var (kestrel, _) = await RawHttp.SendAsync(_fixture.Kestrel.Port, head);

        Assert.Equal(431, kestrel);
        Assert.Equal(431, lambda.StatusCode);
        Assert.Equal(before, _fixture.Lambda.Requests);
    }

    [Fact]
    public async Task RequestLineOverKestrelsLimit_Answers414WithoutRunningThePipeline_AsKestrelDoes()
    {
        var evt = FunctionUrlEvents.Create("GET", "/" + new string('a', 9 * 1024));
        var (head, _) = FunctionUrlEvents.ToRawHttp(evt);
        var before = _fixture.Lambda.Requests;

        var lambda = await Runtime.InvokeAsync(evt.ToJsonString());
        var (kestrel, _) = await RawHttp.SendAsync(_fixture.Kestrel.Port, head);

        Assert.Equal(414, kestrel);
        Assert.Equal(414, lambda.StatusCode);
        Assert.Equal(before, _fixture.Lambda.Requests);
    }

    [Fact]
    public async Task Response_SeveralSetCookies_GoOnePerEntryToCookies_AndOtherHeadersAreJoined()
    {
        string[] setCookies =
        [
            "_iidt=abc+/=; Path=/; Expires=Sun, 21 Nov 2027 09:00:00 GMT; HttpOnly; Secure; SameSite=None",
            "_vid_t=xyz; Max-Age=31536000; Path=/; Secure",
            "plain=1",
        ];
        _fixture.Custom = context =>
        {
            context.Response.Headers.Append("Set-Cookie", setCookies);
            context.Response.Headers.Append("Vary", new[] { "Origin", "Accept-Encoding" });
            context.Response.Headers["X-Comma"] = "a, b";
            return context.Response.WriteAsync("ok");
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString());

        Assert.False(result.IsError);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(setCookies, result.Cookies);
        Assert.DoesNotContain(result.Headers.Keys, k => k.Equals("set-cookie", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("Origin, Accept-Encoding", result.Headers["Vary"]);
        Assert.Equal("a, b", result.Headers["X-Comma"]);
    }

    [Theory]
    [InlineData("application/octet-stream", null, true)]
    [InlineData("image/png", null, true)]
    [InlineData(null, null, true)]
    [InlineData("application/json; charset=utf-8", "gzip", true)]
    [InlineData("application/json; charset=utf-8", null, false)]
    [InlineData("text/javascript", null, false)]
    public async Task Response_Body_IsByteIdentical_AndBase64UnlessKnownUncompressedText(string? contentType, string? contentEncoding, bool base64)
    {
        var body = contentEncoding is null && !base64
            ? Encoding.UTF8.GetBytes("{\"v\":\"é€😀\",\"html\":\"<a href='x'>&amp;</a>\"}")
            : contentEncoding is null ? [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))] : Gzip("{\"ok\":true}");
        _fixture.Custom = context =>
        {
            if (contentType is not null)
            {
                context.Response.ContentType = contentType;
            }

            if (contentEncoding is not null)
            {
                context.Response.Headers.ContentEncoding = contentEncoding;
            }

            return context.Response.Body.WriteAsync(body).AsTask();
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString());

        Assert.Equal(base64, result.IsBase64Encoded);
        Assert.Equal(body, result.BodyBytes);
    }

    [Fact]
    public async Task Response_TextTypeWithInvalidUtf8_IsSentAsBase64Unchanged()
    {
        byte[] latin1 = [0x63, 0x61, 0x66, 0xE9, 0x0A];
        _fixture.Custom = context =>
        {
            context.Response.ContentType = "text/plain; charset=iso-8859-1";
            return context.Response.Body.WriteAsync(latin1).AsTask();
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString());

        Assert.True(result.IsBase64Encoded);
        Assert.Equal(latin1, result.BodyBytes);
    }

    [Theory]
    [InlineData(7 * 1024 * 1024)]
    [InlineData(5 * 1024 * 1024)]
    public async Task Response_OverTheFunctionUrlLimit_Answers502JsonError_NotATruncatedBody(int size)
    {
        // 7 MB of body is over the limit by itself; 5 MB of binary is over it once base64-encoded.
        _fixture.Custom = async context =>
        {
            context.Response.ContentType = "application/octet-stream";
            var chunk = new byte[64 * 1024];
            for (var written = 0; written < size; written += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk);
            }
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString());

        Assert.False(result.IsError);
        Assert.Equal(502, result.StatusCode);
        Assert.Equal("application/json", result.Headers["Content-Type"]);
        Assert.Equal("no-store", result.Headers["Cache-Control"]);
        Assert.Contains("larger than", (string?)result.BodyJson["error"]);
    }

    [Fact]
    public async Task ThrowingRequest_Answers500WithNoBody_AndTheNextInvocationStillWorks()
    {
        var failed = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/throw").ToJsonString());
        var next = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString());

        Assert.False(failed.IsError);
        Assert.Equal(500, failed.StatusCode);
        Assert.Equal(string.Empty, failed.BodyText);
        Assert.Equal(200, next.StatusCode);
        Assert.Contains(_fixture.Lambda.ServerLogs, e => e.Id.Id == 5 && e.Exception?.Message == "Thrown by a test endpoint.");
    }

    [Fact]
    public async Task SynchronousIo_IsRefused_AsKestrelRefusesIt()
    {
        _fixture.Custom = context =>
        {
            context.Response.Body.Write("sync"u8);
            return Task.CompletedTask;
        };
        var evt = FunctionUrlEvents.Create("GET", "/custom");
        var (head, _) = FunctionUrlEvents.ToRawHttp(evt);

        var lambda = await Runtime.InvokeAsync(evt.ToJsonString());
        var (kestrel, _) = await RawHttp.SendAsync(_fixture.Kestrel.Port, head);

        Assert.Equal(500, kestrel);
        Assert.Equal(500, lambda.StatusCode);
    }

    [Fact]
    public async Task DeadlineInThePast_AbortsTheRequestBeforeItStarts_AndAnswers504()
    {
        var abortedAtStart = false;
        _fixture.Custom = context =>
        {
            abortedAtStart = context.RequestAborted.IsCancellationRequested;
            return context.Response.WriteAsync("late");
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString(), deadline: _fixture.Clock.GetUtcNow().AddSeconds(-1));

        Assert.True(abortedAtStart);
        Assert.Equal(504, result.StatusCode);
        Assert.Equal("application/json", result.Headers["Content-Type"]);
        Assert.Contains("deadline", (string?)result.BodyJson["error"]);
    }

    [Fact]
    public async Task DeadlinePassingDuringTheRequest_CancelsRequestAborted_AndAnswers504()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fixture.Custom = async context =>
        {
            using var registration = context.RequestAborted.Register(sawAbort.SetResult);
            started.SetResult();
            await sawAbort.Task;
            context.RequestAborted.ThrowIfCancellationRequested();
        };

        var invocation = Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString(), deadline: _fixture.Clock.GetUtcNow().AddSeconds(2));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        _fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        var result = await invocation;

        Assert.True(sawAbort.Task.IsCompleted);
        Assert.Equal(504, result.StatusCode);
    }

    [Fact]
    public async Task DeadlineBeyondWhatATimerHolds_IsServed()
    {
        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString(), deadline: _fixture.Clock.GetUtcNow().AddDays(100));

        Assert.False(result.IsError);
        Assert.Equal(200, result.StatusCode);
    }

    [Theory]
    [InlineData("{\"rawPath\": \"/\", \"headers\": {")]
    [InlineData("{\"Records\": [{\"eventSource\": \"aws:sqs\"}]}")]
    [InlineData("{\"version\":\"2.0\",\"rawPath\":\"/\",\"requestContext\":{\"http\":{\"method\":\"POST\"}},\"body\":\"***\",\"isBase64Encoded\":true}")]
    public async Task UnreadableEvent_IsPostedToInvocationError_AndTheLoopGoesOn(string eventJson)
    {
        var result = await Runtime.InvokeAsync(eventJson);
        var next = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString());

        Assert.True(result.IsError);
        Assert.Equal("Runtime.InvalidEvent", result.ErrorTypeHeader);
        Assert.Equal("Runtime.InvalidEvent", (string?)result.Document["errorType"]);
        Assert.False(string.IsNullOrEmpty((string?)result.Document["errorMessage"]));
        Assert.Equal(200, next.StatusCode);
    }

    [Fact]
    public async Task RequestBodyOverKestrelsLimit_Answers413_WhenTheApplicationReadsIt()
    {
        _fixture.Custom = async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            await context.Response.WriteAsync("read");
        };
        var big = new byte[TestApp.MaxRequestBodySize + 1];

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("POST", "/custom", body: big).ToJsonString());
        var atLimit = await Runtime.InvokeAsync(FunctionUrlEvents.Create("POST", "/custom", body: big[1..]).ToJsonString());

        Assert.Equal(413, result.StatusCode);
        Assert.Equal(200, atLimit.StatusCode);
    }

    [Fact]
    public async Task MaxRequestBodySize_CanBeRaisedBeforeReading_AndIsReadOnlyAfter()
    {
        var readOnlyAfterRead = false;
        _fixture.Custom = async context =>
        {
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()!;
            limit.MaxRequestBodySize = 4 * TestApp.MaxRequestBodySize;
            await context.Request.Body.CopyToAsync(Stream.Null);
            readOnlyAfterRead = limit.IsReadOnly;
            await context.Response.WriteAsync("read");
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("POST", "/custom", body: new byte[2 * TestApp.MaxRequestBodySize]).ToJsonString());

        Assert.Equal(200, result.StatusCode);
        Assert.True(readOnlyAfterRead);
    }

    [Fact]
    public async Task ResponseCallbacks_RunAsOnKestrel_OnStartingBeforeTheResponseOnCompletedAfter()
    {
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fixture.Custom = context =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["X-Added-On-Starting"] = "yes";
                return Task.CompletedTask;
            });
            context.Response.OnCompleted(() =>
            {
                completed.SetResult();
                return Task.CompletedTask;
            });
            context.Response.StatusCode = StatusCodes.Status201Created;
            return Task.CompletedTask;
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString());

        Assert.Equal(201, result.StatusCode);
        Assert.Equal("yes", result.Headers["X-Added-On-Starting"]);
        await completed.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ResponseAbortedByTheApplication_Answers502_NotAPartialBody()
    {
        _fixture.Custom = async context =>
        {
            await context.Response.WriteAsync("partial");
            context.Abort();
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/custom").ToJsonString());

        Assert.Equal(502, result.StatusCode);
        Assert.DoesNotContain("partial", result.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RuntimeApiFailingThreeTimesInARow_StopsTheApplication()
    {
        var clock = new TimerTrackingTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        runtime.FailNext();
        runtime.FailNext();
        runtime.FailNext();
        await using var app = await TestApp.StartLambdaAsync(runtime, clock);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stopping.SetResult);

        // The server backs off 100 ms, then 200 ms, on the clock before it asks again.
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(200));
        clock.Advance(TimeSpan.FromMilliseconds(200));
        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, runtime.NextCalls);
        Assert.Equal([2, 2, 2, 3], app.ServerLogs.Where(e => e.Id.Id is 2 or 3).Select(e => e.Id.Id));
    }

    [Fact]
    public async Task RuntimeApiFailuresThatAreNotConsecutive_DoNotStopTheApplication()
    {
        var clock = new TimerTrackingTimeProvider();
        await using var runtime = await FakeLambdaRuntime.StartAsync(clock);
        await using var app = await TestApp.StartLambdaAsync(runtime, clock);
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();

        for (var round = 0; round < 2; round++)
        {
            runtime.FailNext();
            runtime.FailNext();
            var invocation = runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/echo").ToJsonString());
            await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(100));
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await clock.WaitForTimerAsync(TimeSpan.FromMilliseconds(200));
            clock.Advance(TimeSpan.FromMilliseconds(200));

            Assert.Equal(200, (await invocation).StatusCode);
        }

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.Equal(4, app.ServerLogs.Count(e => e.Id.Id == 2));
    }

    private async Task<JsonObject> EchoAsync(JsonObject evt)
    {
        var result = await Runtime.InvokeAsync(evt.ToJsonString());
        Assert.False(result.IsError, result.Document.ToJsonString());
        Assert.Equal(200, result.StatusCode);
        return result.BodyJson;
    }

    private async Task<JsonObject> KestrelEchoAsync(JsonObject evt)
    {
        var (head, body) = FunctionUrlEvents.ToRawHttp(evt);
        var (status, response) = await RawHttp.SendAsync(_fixture.Kestrel.Port, head, body);
        Assert.Equal(200, status);
        return JsonNode.Parse(response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])!.AsObject();
    }

    private static string[] Values(JsonObject echo, string header) =>
        echo["headers"]!.AsObject()
            .Where(h => h.Key.Equals(header, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value!.AsArray().Select(v => (string)v!))
            .ToArray();

    /// <summary>Every header but those the Function URL front end adds, names lower-cased, values exactly as received.</summary>
    private static List<string> Comparable(JsonObject echo) =>
        echo["headers"]!.AsObject()
            .Select(h => (Name: h.Key.ToLowerInvariant(), Values: h.Value!.AsArray()))
            .Where(h => !h.Name.StartsWith("x-amzn-", StringComparison.Ordinal) && !h.Name.StartsWith("x-forwarded-", StringComparison.Ordinal))
            .SelectMany(h => h.Values.Select(v => h.Name + ": " + (string?)v))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
