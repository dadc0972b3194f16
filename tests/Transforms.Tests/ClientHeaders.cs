namespace FingerprintProxy.Transforms.Tests;

/// <summary>Request headers a client or a hop in front of the proxy may send, as tables shared by the request tests.</summary>
public static class ClientHeaders
{
    /// <summary>Headers that claim a client address or a forwarding hop, in the letter cases clients send: never forwarded.</summary>
    public static TheoryData<string, string> Forwarding => new()
    {
        { "X-Forwarded-For", "8.8.8.8, 10.0.0.1" },
        { "x-forwarded-for", "8.8.8.8" },
        { "X-Forwarded-Host", "evil.example" },
        { "X-Forwarded-Proto", "http" },
        { "X-Forwarded-Port", "80" },
        { "X-Forwarded-Prefix", "/fpjs" },
        { "Forwarded", "for=8.8.8.8;proto=https;host=evil.example" },
        { "FORWARDED", "for=\"[2001:db8::1]:4711\"" },
        { "X-Real-IP", "8.8.8.8" },
        { "x-real-ip", "8.8.8.8" },
        { "True-Client-IP", "8.8.8.8" },
        { "TRUE-CLIENT-IP", "8.8.8.8" },
        { "X-Client-IP", "8.8.8.8" },
        { "x-client-ip", "2001:db8::8" },
        { "CF-Connecting-IP", "8.8.8.8" },
        { "cf-connecting-ip", "8.8.8.8" },
        { "Fastly-Client-IP", "8.8.8.8" },
        { "fastly-client-ip", "8.8.8.8" },
    };

    /// <summary>Each of <see cref="Forwarding"/> with each of <see cref="Methods.All"/>: name, value, method.</summary>
    public static TheoryData<string, string, string> ForwardingOnEveryMethod
    {
        get
        {
            var rows = new TheoryData<string, string, string>();
            foreach (var header in Forwarding)
            {
                foreach (var method in Methods.All)
                {
                    rows.Add((string)header[0], (string)header[1], method);
                }
            }

            return rows;
        }
    }

    /// <summary>
    /// The hop-by-hop headers YARP's header copy drops by itself, which the proxy therefore does not list:
    /// checked through the whole pipeline so that a YARP upgrade that stops dropping one is noticed.
    /// </summary>
    public static TheoryData<string, string> DroppedByYarp => new()
    {
        { "Connection", "keep-alive" },
        { "Keep-Alive", "timeout=5, max=1000" },
        { "Proxy-Connection", "keep-alive" },
        { "Proxy-Authorization", "Basic dXNlcjpwYXNz" },
        { "TE", "trailers" },
        { "Transfer-Encoding", "chunked" },
        { "Upgrade", "websocket" },
        { "Upgrade", "h2c" },
        { "Alt-Svc", "h3=\":443\"" },
    };

    /// <summary>
    /// Host headers a client may send, none (no Host at all), empty or two included; whatever they hold,
    /// upstream gets one Host, the upstream's own.
    /// </summary>
    public static TheoryData<string[]> Hosts => new()
    {
        Array.Empty<string>(),
        new[] { "" },
        new[] { "www.example.com" },
        new[] { "evil.example:8443" },
        new[] { "api.fpjs.io" },
        new[] { "www.example.com", "evil.example" },
        new[] { "", "" },
    };
}
