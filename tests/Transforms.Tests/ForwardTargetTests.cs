namespace FingerprintProxy.Transforms.Tests;

public class ForwardTargetTests
{
    [Fact]
    public void Constructor_Values_AreKeptAsGiven()
    {
        var target = new ForwardTarget("https://eu.api.fpjs.io", "/a%41", "?q=%7e");

        Assert.Equal("https://eu.api.fpjs.io", target.Origin);
        Assert.Equal("/a%41", target.Path);
        Assert.Equal("?q=%7e", target.Query);
    }

    [Theory]
    [InlineData(null, "/", "")]
    [InlineData("", "/", "")]
    [InlineData("https://api.fpjs.io", null, "")]
    [InlineData("https://api.fpjs.io", "", "")]
    [InlineData("https://api.fpjs.io", "/", null)]
    public void Constructor_MissingPart_Throws(string? origin, string? path, string? query)
    {
        Assert.ThrowsAny<ArgumentException>(() => new ForwardTarget(origin!, path!, query!));
    }
}
