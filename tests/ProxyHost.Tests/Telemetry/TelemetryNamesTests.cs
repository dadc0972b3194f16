using System.Net.Sockets;
using FingerprintProxy.Proxy;
using FingerprintProxy.Telemetry;
using Yarp.ReverseProxy.Forwarder;

namespace FingerprintProxy.Tests.Telemetry;

public sealed class TelemetryNamesTests
{
    public static TheoryData<ForwarderError, Exception?, string> Failures => new()
    {
        { ForwarderError.RequestTimedOut, null, "timeout" },
        { ForwarderError.Request, new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused)), "unreachable" },
        { ForwarderError.Request, new HttpRequestException("x", new SocketException((int)SocketError.ConnectionReset)), "connection_reset" },
        { ForwarderError.Request, new TaskCanceledException(), "timeout" },
        { ForwarderError.RequestBodyDestination, null, "request_not_read" },
        { ForwarderError.ResponseBodyDestination, null, "response_cut_off" },
        { ForwarderError.Request, null, "upstream_failed" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void ErrorType_OfEachErrorBodyPhrase_IsItsOwnCode(ForwarderError error, Exception? exception, string expected) =>
        Assert.Equal(expected, TelemetryNames.ErrorType(ProxyRequestHandler.Describe(error, exception)));

    [Theory]
    [InlineData(101, "1xx")]
    [InlineData(204, "2xx")]
    [InlineData(304, "3xx")]
    [InlineData(499, "4xx")]
    [InlineData(500, "5xx")]
    [InlineData(600, "other")]
    public void StatusClass_IsTheHundreds(int status, string expected) => Assert.Equal(expected, TelemetryNames.StatusClass(status));

    [Theory]
    [InlineData("GET", "GET")]
    [InlineData("PROPFIND", "_OTHER")]
    [InlineData("get", "_OTHER")]
    public void Method_OutsideTheKnownSet_IsOther(string method, string expected) => Assert.Equal(expected, TelemetryNames.Method(method));
}
