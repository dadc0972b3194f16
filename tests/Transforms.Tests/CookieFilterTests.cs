using Microsoft.Extensions.Primitives;

namespace FingerprintProxy.Transforms.Tests;

public class CookieFilterTests
{
    [Theory]
    [InlineData("_iidt=abc", "_iidt=abc")]
    [InlineData("a=1; _iidt=abc; b=2", "_iidt=abc")]
    [InlineData("_iidt=abc; b=2", "_iidt=abc")]
    [InlineData("a=1; _iidt=abc", "_iidt=abc")]
    // Values keep their bytes: '=' inside, base64 padding, quotes, percent escapes.
    [InlineData("a=1; _iidt=a=b=c", "_iidt=a=b=c")]
    [InlineData("_iidt=7s2Ydo9KzXwZQw==; a=1", "_iidt=7s2Ydo9KzXwZQw==")]
    [InlineData("a=1; _iidt=\"quoted value\"", "_iidt=\"quoted value\"")]
    [InlineData("_iidt=%2Fabc%3D%3D", "_iidt=%2Fabc%3D%3D")]
    [InlineData("_iidt=", "_iidt=")]
    // Spaces around ';' do not reach the kept pair; spaces inside it are kept.
    [InlineData("a=1;_iidt=abc;b=2", "_iidt=abc")]
    [InlineData("a=1 ;   _iidt=abc   ; b=2", "_iidt=abc")]
    [InlineData("  _iidt=abc  ", "_iidt=abc")]
    [InlineData("a=1; _iidt = abc", "_iidt = abc")]
    [InlineData("a=1; _iidt=abc;", "_iidt=abc")]
    [InlineData(";;_iidt=abc;;", "_iidt=abc")]
    // Every _iidt is kept, in order.
    [InlineData("_iidt=one; a=1; _iidt=two", "_iidt=one; _iidt=two")]
    [InlineData("_iidt=one;_iidt=two;_iidt=three", "_iidt=one; _iidt=two; _iidt=three")]
    public void KeepOnly_HeaderWithIidt_ReturnsIidtPairsVerbatim(string header, string expected)
    {
        Assert.Equal(expected, CookieFilter.KeepOnly(header, FingerprintHeaders.IidtCookie));
    }

    [Theory]
    [InlineData("a=1; b=2")]
    [InlineData("_iidt2=abc")]
    [InlineData("x_iidt=abc")]
    [InlineData("__iidt=abc")]
    [InlineData("_IIDT=abc")]
    [InlineData("_Iidt=abc")]
    [InlineData("_iidt")]
    [InlineData("a=_iidt=abc")]
    [InlineData("=_iidt")]
    [InlineData("a=1; _iidt2=abc; x_iidt=def")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(";")]
    [InlineData("; ;")]
    public void KeepOnly_HeaderWithoutIidt_ReturnsNull(string header)
    {
        Assert.Null(CookieFilter.KeepOnly(header, FingerprintHeaders.IidtCookie));
    }

    [Fact]
    public void KeepOnly_NoHeader_ReturnsNull()
    {
        Assert.Null(CookieFilter.KeepOnly(StringValues.Empty, FingerprintHeaders.IidtCookie));
    }

    [Fact]
    public void KeepOnly_NullHeaderValue_ReturnsNull()
    {
        Assert.Null(CookieFilter.KeepOnly(new StringValues([null, "a=1"]), FingerprintHeaders.IidtCookie));
    }

    [Theory]
    // HTTP/2 sends each cookie (or group) in its own Cookie field.
    [InlineData(new[] { "a=1", "_iidt=abc", "b=2" }, "_iidt=abc")]
    [InlineData(new[] { "_iidt=one", "a=1; _iidt=two" }, "_iidt=one; _iidt=two")]
    [InlineData(new[] { "a=1", "", "_iidt=a=b==" }, "_iidt=a=b==")]
    [InlineData(new[] { "a=1", "b=2" }, null)]
    [InlineData(new[] { "", "" }, null)]
    public void KeepOnly_SeveralHeaderValues_SearchesEveryValue(string[] headers, string? expected)
    {
        Assert.Equal(expected, CookieFilter.KeepOnly(new StringValues(headers), FingerprintHeaders.IidtCookie));
    }

    [Fact]
    public void KeepOnly_OtherName_KeepsThatCookie()
    {
        Assert.Equal("session=x", CookieFilter.KeepOnly("_iidt=abc; session=x", "session"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void KeepOnly_NoName_Throws(string? name)
    {
        Assert.ThrowsAny<ArgumentException>(() => CookieFilter.KeepOnly("_iidt=abc", name!));
    }
}
