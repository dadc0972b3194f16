using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using FingerprintProxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FingerprintProxy.Tests.Lambda;

/// <summary>
/// The Lambda server (issue 3) against a fake Runtime API with the real host: request mapping as the
/// pipeline sees it, response mapping as the Function URL receives it, and the failure paths.
/// </summary>
public sealed class LambdaRuntimeServerTests : IClassFixture<LambdaFixture>
{
    private readonly LambdaFixture _fixture;

    public LambdaRuntimeServerTests(LambdaFixture fixture)
    {
        _fixture = fixture;
        fixture.Upstream.Clear();
        fixture.Custom = _ => Task.CompletedTask;
    }

    private FakeLambdaRuntime Runtime => _fixture.Runtime;

    [Fact]
    public async Task RecordedPost_ReachesPipeline_WithHeadersUnsplitCookiesJoinedAndBinaryBody()
    {
        var evt = FunctionUrlEvents.Load(FunctionUrlEvents.PostIdentification).WithHeader("x-test-echo", "1");

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
        var evt = FunctionUrlEvents.Load(FunctionUrlEvents.GetEncodedPath).WithHeader("x-test-echo", "1");

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
        var evt = FunctionUrlEvents.Create("GET", rawPath, rawQuery).WithHeader("x-test-echo", "1");
        var lambda = await EchoAsync(evt);

        var (head, _) = FunctionUrlEvents.ToRawHttp(evt);
        var (status, response) = await RawHttp.SendAsync(_fixture.Kestrel.Port, head);
        Assert.Equal(200, status);
        var kestrel = JsonNode.Parse(response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])!;

        Assert.Equal((string?)kestrel["path"], (string?)lambda["path"]);
        Assert.Equal((string?)kestrel["pathBase"], (string?)lambda["pathBase"]);
        Assert.Equal((string?)kestrel["queryString"], (string?)lambda["queryString"]);
        Assert.Equal((string?)kestrel["rawTarget"], (string?)lambda["rawTarget"]);
    }

    [Fact]
    public async Task EncodedNulInThePath_IsRefused400_AsKestrelDoes()
    {
        var evt = FunctionUrlEvents.Create("GET", "/fpjs/web/v4/a%00b").WithHeader("x-test-echo", "1");
        var (head, _) = FunctionUrlEvents.ToRawHttp(evt);

        var lambda = await Runtime.InvokeAsync(evt.ToJsonString());
        var (kestrel, _) = await RawHttp.SendAsync(_fixture.Kestrel.Port, head);

        Assert.Equal(400, kestrel);
        Assert.Equal(400, lambda.StatusCode);
        Assert.Empty(_fixture.Upstream.Requests);
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

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/custom").ToJsonString());

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

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/custom").ToJsonString());

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

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/custom").ToJsonString());

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

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/custom").ToJsonString());

        Assert.False(result.IsError);
        Assert.Equal(502, result.StatusCode);
        Assert.Equal("application/json", result.Headers["Content-Type"]);
        Assert.Contains("larger than", (string?)result.BodyJson["error"]);
    }

    [Fact]
    public async Task ThrowingRequest_Answers500_AndTheNextInvocationStillWorks()
    {
        var failed = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/throw").ToJsonString());
        var next = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/echo").ToJsonString());

        Assert.False(failed.IsError);
        Assert.Equal(500, failed.StatusCode);
        Assert.Equal(string.Empty, failed.BodyText);
        Assert.Equal(200, next.StatusCode);
        Assert.Contains(_fixture.Lambda.Logs.Entries, e => e.EventId.Id == 5 && e.Text.Contains("Thrown by a test endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeadlineInThePast_AbortsTheRequest_AndAnswers504()
    {
        var evt = FunctionUrlEvents.Create("GET", "/__test/echo");

        var result = await Runtime.InvokeAsync(evt.ToJsonString(), deadline: DateTimeOffset.UtcNow.AddSeconds(-1));

        Assert.Equal(504, result.StatusCode);
        Assert.Contains("deadline", (string?)result.BodyJson["error"]);
    }

    [Fact]
    public async Task DeadlineInThePast_OnTheProxyRoute_ForwardsNothing()
    {
        var evt = FunctionUrlEvents.Load(FunctionUrlEvents.PostIdentification);

        var result = await Runtime.InvokeAsync(evt.ToJsonString(), deadline: DateTimeOffset.UtcNow.AddSeconds(-1));

        Assert.Equal(504, result.StatusCode);
        Assert.Empty(_fixture.Upstream.Requests);
    }

    [Fact]
    public async Task DeadlinePassingDuringTheRequest_CancelsRequestAborted_AndAnswers504()
    {
        var sawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fixture.Custom = async context =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                sawAbort.SetResult();
                throw;
            }
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/custom").ToJsonString(), deadline: DateTimeOffset.UtcNow.AddSeconds(1.5));

        Assert.True(sawAbort.Task.IsCompleted);
        Assert.Equal(504, result.StatusCode);
    }

    [Theory]
    [InlineData("{\"rawPath\": \"/fpjs/\", \"headers\": {")]
    [InlineData("{\"Records\": [{\"eventSource\": \"aws:sqs\"}]}")]
    [InlineData("{\"version\":\"2.0\",\"rawPath\":\"/\",\"requestContext\":{\"http\":{\"method\":\"POST\"}},\"body\":\"***\",\"isBase64Encoded\":true}")]
    public async Task UnreadableEvent_IsPostedToInvocationError_AndTheLoopGoesOn(string eventJson)
    {
        var result = await Runtime.InvokeAsync(eventJson);
        var next = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/echo").ToJsonString());

        Assert.True(result.IsError);
        Assert.Equal("Runtime.InvalidEvent", result.ErrorTypeHeader);
        Assert.Equal("Runtime.InvalidEvent", (string?)result.Document["errorType"]);
        Assert.False(string.IsNullOrEmpty((string?)result.Document["errorMessage"]));
        Assert.Equal(200, next.StatusCode);
    }

    [Fact]
    public async Task RequestBodyOverTheLimit_Answers413_WhenTheApplicationReadsIt()
    {
        // The proxy sets Kestrel's MaxRequestBodySize from FPJS_MAX_BODY_BYTES (1 MB by default); the Lambda
        // server enforces the same limit.
        _fixture.Custom = async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            await context.Response.WriteAsync("read");
        };
        var big = new byte[(1024 * 1024) + 1];

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("POST", "/__test/custom", body: big).ToJsonString());
        var atLimit = await Runtime.InvokeAsync(FunctionUrlEvents.Create("POST", "/__test/custom", body: big[1..]).ToJsonString());

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
            limit.MaxRequestBodySize = 4 * 1024 * 1024;
            await context.Request.Body.CopyToAsync(Stream.Null);
            readOnlyAfterRead = limit.IsReadOnly;
            await context.Response.WriteAsync("read");
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("POST", "/__test/custom", body: new byte[2 * 1024 * 1024]).ToJsonString());

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

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/custom").ToJsonString());

        Assert.Equal(201, result.StatusCode);
        Assert.Equal("yes", result.Headers["X-Added-On-Starting"]);
        await completed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ResponseAbortedByTheApplication_Answers502_NotAPartialBody()
    {
        _fixture.Custom = async context =>
        {
            await context.Response.WriteAsync("partial");
            context.Abort();
        };

        var result = await Runtime.InvokeAsync(FunctionUrlEvents.Create("GET", "/__test/custom").ToJsonString());

        Assert.Equal(502, result.StatusCode);
        Assert.DoesNotContain("partial", result.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeaderBlockOverKestrelsLimit_Answers431_WithoutRunningThePipeline()
    {
        var evt = FunctionUrlEvents.Create("GET", "/__test/echo").WithHeader("x-big", new string('a', 40 * 1024));
        var (head, _) = FunctionUrlEvents.ToRawHttp(evt);

        var lambda = await Runtime.InvokeAsync(evt.ToJsonString());
        var (kestrel, _) = await RawHttp.SendAsync(_fixture.Kestrel.Port, head);

        Assert.Equal(431, kestrel);
        Assert.Equal(431, lambda.StatusCode);
    }

    private async Task<JsonObject> EchoAsync(JsonObject evt)
    {
        var result = await Runtime.InvokeAsync(evt.ToJsonString());
        Assert.False(result.IsError, result.Document.ToJsonString());
        Assert.Equal(200, result.StatusCode);
        return result.BodyJson;
    }

    private static string[] Values(JsonObject echo, string header) =>
        echo["headers"]!.AsObject()
            .Where(h => h.Key.Equals(header, StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value!.AsArray().Select(v => (string)v!))
            .ToArray();

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
