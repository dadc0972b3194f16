using System.Net;
using FingerprintProxy.Viewer;

namespace FingerprintProxy.Tests.Viewer;

public sealed class DirectViewerContextResolverTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("fe80::1%2", "fe80::1")]
    [InlineData("::1", "::1")]
    public void Resolve_UsesConnectionAddress_WithoutPortOrScope_IPv4MappedAsIPv4(string remote, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.RemotePort = 51234;
        context.Request.Host = new HostString("www.example.com", 8443);
        context.Request.Headers["X-Forwarded-For"] = "6.6.6.6";

        var viewer = new DirectViewerContextResolver().Resolve(context);

        Assert.Equal(expected, viewer.IpAddress);
        Assert.Equal("www.example.com", viewer.Host);
    }

    [Fact]
    public void Resolve_WithoutHostOrAddress_GivesNulls()
    {
        var viewer = new DirectViewerContextResolver().Resolve(new DefaultHttpContext());

        Assert.Null(viewer.IpAddress);
        Assert.Null(viewer.Host);
    }
}
