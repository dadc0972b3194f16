namespace FingerprintProxy.Transforms.Tests;

public class CacheControlCapTests
{
    [Theory]
    // docs/contract.md, "On the way down".
    [InlineData("public, max-age=7200", "public, max-age=3600, s-maxage=60")]
    [InlineData("max-age=7200", "max-age=3600, s-maxage=60")]
    [InlineData("public, max-age=31536000, s-maxage=31536000", "public, max-age=3600, s-maxage=60")]
    [InlineData("public, max-age=3601, s-maxage=61", "public, max-age=3600, s-maxage=60")]
    // One directive above its cap, the other below.
    [InlineData("public, max-age=600, s-maxage=7200", "public, max-age=600, s-maxage=60")]
    [InlineData("public, max-age=7200, s-maxage=30", "public, max-age=3600, s-maxage=30")]
    [InlineData("s-maxage=7200, max-age=60", "s-maxage=60, max-age=60")]
    // A missing directive is appended.
    [InlineData("public, max-age=100", "public, max-age=100, s-maxage=60")]
    [InlineData("public, s-maxage=10", "public, s-maxage=10, max-age=3600")]
    [InlineData("no-cache", "no-cache, max-age=3600, s-maxage=60")]
    [InlineData("public", "public, max-age=3600, s-maxage=60")]
    [InlineData("private, immutable", "private, immutable, max-age=3600, s-maxage=60")]
    // Directive names are case-insensitive; a capped directive is written in lower case.
    [InlineData("PUBLIC, MAX-AGE=7200", "PUBLIC, max-age=3600, s-maxage=60")]
    [InlineData("Public, Max-Age=7200, S-MaxAge=7200", "Public, max-age=3600, s-maxage=60")]
    // Extra spaces and empty list elements are normalised only when something is rewritten.
    [InlineData("public,max-age=7200", "public, max-age=3600, s-maxage=60")]
    [InlineData("  public ,   max-age=7200  ", "public, max-age=3600, s-maxage=60")]
    [InlineData("public, max-age = 7200", "public, max-age=3600, s-maxage=60")]
    [InlineData("public,, max-age=100, s-maxage=10", "public, max-age=100, s-maxage=10")]
    [InlineData("public, max-age=100, s-maxage=10,", "public, max-age=100, s-maxage=10")]
    // A value that is not a plain number of seconds is treated as too long.
    [InlineData("public, max-age=abc", "public, max-age=3600, s-maxage=60")]
    [InlineData("max-age=-1, s-maxage=10", "max-age=3600, s-maxage=10")]
    [InlineData("max-age=1e3, s-maxage=10", "max-age=3600, s-maxage=10")]
    [InlineData("max-age=, s-maxage=10", "max-age=3600, s-maxage=10")]
    [InlineData("max-age, s-maxage=10", "max-age=3600, s-maxage=10")]
    [InlineData("max-age=99999999999999999999999, s-maxage=10", "max-age=3600, s-maxage=10")]
    // Nothing at all: both caps.
    [InlineData("", "max-age=3600, s-maxage=60")]
    [InlineData(" ", "max-age=3600, s-maxage=60")]
    [InlineData(",", "max-age=3600, s-maxage=60")]
    public void Apply_Value_CapsLifetimes(string cacheControl, string expected)
    {
        Assert.Equal(expected, CacheControlCap.Apply(cacheControl));
    }

    [Theory]
    [InlineData("public, max-age=3600, s-maxage=60")]
    [InlineData("public, max-age=0, s-maxage=0")]
    [InlineData("max-age=100, s-maxage=10")]
    [InlineData("s-maxage=10, max-age=100")]
    [InlineData("public,max-age=100,s-maxage=10")]
    [InlineData("public ,  max-age=100 ,  s-maxage=10")]
    [InlineData("no-store, max-age=0, s-maxage=0, must-revalidate")]
    [InlineData("MAX-AGE=100, S-MAXAGE=10")]
    [InlineData("max-age=0003600, s-maxage=060")]
    [InlineData("private, no-cache=\"set-cookie\", max-age=100, s-maxage=10")]
    public void Apply_LifetimesWithinCaps_ReturnsSameInstance(string cacheControl)
    {
        Assert.Same(cacheControl, CacheControlCap.Apply(cacheControl));
    }

    [Theory]
    [InlineData("public, max-age=7200", 600, 10, "public, max-age=600, s-maxage=10")]
    [InlineData("public, max-age=500, s-maxage=5", 600, 10, "public, max-age=500, s-maxage=5")]
    [InlineData("public", 0, 0, "public, max-age=0, s-maxage=0")]
    public void Apply_CustomCaps_UsesThem(string cacheControl, int maxAge, int sharedMaxAge, string expected)
    {
        Assert.Equal(expected, CacheControlCap.Apply(cacheControl, maxAge, sharedMaxAge));
    }

    [Fact]
    public void Caps_AreTheContractValues()
    {
        Assert.Equal(3600, CacheControlCap.MaxAge);
        Assert.Equal(60, CacheControlCap.SharedMaxAge);
    }

    [Fact]
    public void Apply_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CacheControlCap.Apply(null!));
    }
}
