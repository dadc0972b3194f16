using System.Net.Sockets;
using FingerprintProxy.Proxy;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Tests.Proxy;

public sealed class ProxyErrorsTests
{
    [Fact]
    public void NewRequestId_HasThirteenDigitEpochMillisecondsAndSixAlphanumerics()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_763_700_000_123);

        var id = ProxyErrors.NewRequestId(now);

        Assert.Matches("^1763700000123\\.[A-Za-z0-9]{6}$", id);
        Assert.NotEqual(id, ProxyErrors.NewRequestId(now));
    }

    [Theory]
    [InlineData(ForwarderError.RequestTimedOut, null, "the identification service did not answer in time")]
    [InlineData(ForwarderError.Request, SocketError.ConnectionRefused, "the identification service is unreachable")]
    [InlineData(ForwarderError.Request, SocketError.HostNotFound, "the identification service is unreachable")]
    [InlineData(ForwarderError.Request, SocketError.ConnectionReset, "the connection to the identification service was reset")]
    [InlineData(ForwarderError.Request, null, "the request to the identification service failed")]
    public void Describe_GivesAShortFixedReason(ForwarderError error, SocketError? socketError, string expected)
    {
        Exception? exception = socketError is { } code ? new HttpRequestException("secret-bearing detail", new SocketException((int)code)) : null;

        Assert.Equal(expected, ProxyRequestHandler.Describe(error, exception));
    }
}
