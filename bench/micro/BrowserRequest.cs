using System.Net;
using FingerprintProxy.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FingerprintProxy.Benchmarks;

/// <summary>The requests and responses of bench/wrk/scenario.lua, built without a server.</summary>
internal static class BrowserRequest
{
    public const string UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    public const string Cookie = "_ga=GA1.1.1234567890.1763683200; session=eyJ1c2VyIjoiYWxpY2UiLCJjYXJ0IjpbMSwyLDNdfQ.c2lnbmF0dXJl; "
        + "_iidt=Xk3p9QmT0vL2aR8sW5yZ1cN4bF7hJ6dG0eU3iO9pA2sD5fG8hJ1kL4zX7cV0bN3mQ6wE9rT2yU5iO8pA1sD4fG==; "
        + "_vid_t=Qw5Er7Ty9Ui1Op3As5Df7Gh9Jk1Lz3Xc5Vb7Nm9Qw1Er3Ty5; consent=analytics%3Dtrue%2Cads%3Dfalse";

    public const string SetCookie = "_iidt=Xk3p9QmT0vL2aR8sW5yZ1cN4bF7hJ6dG0eU3iO9pA2sD5fG8hJ1kL4zX7cV0bN3mQ6wE9rT2yU5iO8pA1sD4fG==; "
        + "Path=/; Domain=example.test; Expires=Fri, 21 Nov 2031 00:00:00 GMT; HttpOnly; Secure; SameSite=None";

    public const string ViewerHost = "www.example.test";

    /// <summary>A request as Kestrel hands it to the proxy, with the router's target and the viewer set.</summary>
    public static DefaultHttpContext Create(string method, string path, string query, string upstreamPath, string upstreamQuery)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = method;
        request.Scheme = "http";
        request.Host = new HostString(ViewerHost);
        request.Path = path;
        request.QueryString = new QueryString(query);
        var headers = request.Headers;
        headers.Connection = "keep-alive";
        headers.UserAgent = UserAgent;
        headers["sec-ch-ua"] = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"";
        headers["sec-ch-ua-mobile"] = "?0";
        headers["sec-ch-ua-platform"] = "\"Windows\"";
        headers.Accept = "*/*";
        headers.AcceptLanguage = "en-US,en;q=0.9,cs;q=0.8";
        headers.AcceptEncoding = "gzip, deflate, br, zstd";
        headers.Referer = "https://www.example.test/checkout?step=2";
        headers.Origin = "https://www.example.test";
        headers["Sec-Fetch-Site"] = "same-origin";
        headers["Sec-Fetch-Mode"] = "cors";
        headers["Sec-Fetch-Dest"] = "empty";
        headers.Cookie = Cookie;
        if (method == HttpMethods.Post)
        {
            headers.ContentType = "text/plain";
            headers.ContentLength = 8192;
        }

        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Features.Set(new ViewerContext("127.0.0.1", ViewerHost));
        context.Features.Set(new ForwardTarget("http://localhost:18080", upstreamPath, upstreamQuery));
        return context;
    }

    public static DefaultHttpContext Agent() =>
        Create("GET", "/fpjs/agent", "?apiKey=Ab1Cd2Ef3Gh4Ij5Kl6Mn&version=3&loaderVersion=3.12.15",
            "/web/v3/Ab1Cd2Ef3Gh4Ij5Kl6Mn/loader_v3.12.15.js", "?apiKey=Ab1Cd2Ef3Gh4Ij5Kl6Mn&version=3&loaderVersion=3.12.15");

    public static DefaultHttpContext Identification() =>
        Create("POST", "/fpjs/result", "?ci=js/3.12.15", "/", "?ci=js/3.12.15");

    /// <summary>The upstream's agent response: 36 KB JavaScript, cached for two hours, with HSTS.</summary>
    public static HttpResponseMessage AgentResponse()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("Date", "Sat, 21 Nov 2026 06:00:00 GMT");
        response.Headers.TryAddWithoutValidation("Cache-Control", "public, max-age=7200");
        response.Headers.TryAddWithoutValidation("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload");
        response.Headers.TryAddWithoutValidation("ETag", "\"6740b8a0-9000\"");
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "text/javascript; charset=utf-8");
        response.Content.Headers.TryAddWithoutValidation("Content-Length", "36864");
        response.Content.Headers.TryAddWithoutValidation("Last-Modified", "Sat, 21 Nov 2026 05:00:00 GMT");
        return response;
    }

    /// <summary>The upstream's identification response: JSON with Fingerprint's cookie on the site's domain.</summary>
    public static HttpResponseMessage IdentificationResponse()
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("Date", "Sat, 21 Nov 2026 06:00:00 GMT");
        response.Headers.TryAddWithoutValidation("Set-Cookie", SetCookie);
        response.Headers.TryAddWithoutValidation("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload");
        response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        response.Content.Headers.TryAddWithoutValidation("Content-Length", "1190");
        return response;
    }
}
