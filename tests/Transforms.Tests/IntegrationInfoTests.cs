namespace FingerprintProxy.Transforms.Tests;

public class IntegrationInfoTests
{
    [Theory]
    [InlineData("fingerprint-pro-aws-dotnet-proxy", "0.1.0", "fingerprint-pro-aws-dotnet-proxy/0.1.0/ingress", "ii=fingerprint-pro-aws-dotnet-proxy%2F0.1.0%2Fingress")]
    [InlineData("proxy", "1.2.3-beta.4", "proxy/1.2.3-beta.4/ingress", "ii=proxy%2F1.2.3-beta.4%2Fingress")]
    [InlineData("a b", "1+2", "a b/1+2/ingress", "ii=a%20b%2F1%2B2%2Fingress")]
    [InlineData("x&y=z", "1", "x&y=z/1/ingress", "ii=x%26y%3Dz%2F1%2Fingress")]
    public void Constructor_NameAndVersion_BuildsValueAndEncodedParameter(string name, string version, string value, string parameter)
    {
        var info = new IntegrationInfo(name, version);

        Assert.Equal(name, info.Name);
        Assert.Equal(version, info.Version);
        Assert.Equal(value, info.Value);
        Assert.Equal(parameter, info.QueryParameter);
    }

    [Fact]
    public void QueryParameter_DecodedByAspNetCore_IsTheValue()
    {
        var info = new IntegrationInfo("fingerprint-pro-aws-dotnet-proxy", "0.1.0");

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery("?" + info.QueryParameter);

        Assert.Equal(info.Value, query["ii"]);
    }

    [Theory]
    [InlineData(null, "1")]
    [InlineData("", "1")]
    [InlineData("name", null)]
    [InlineData("name", "")]
    public void Constructor_MissingPart_Throws(string? name, string? version)
    {
        Assert.ThrowsAny<ArgumentException>(() => new IntegrationInfo(name!, version!));
    }

    [Fact]
    public void Equality_SameNameAndVersion_AreEqual()
    {
        Assert.Equal(new IntegrationInfo("proxy", "1.0.0"), new IntegrationInfo("proxy", "1.0.0"));
        Assert.NotEqual(new IntegrationInfo("proxy", "1.0.0"), new IntegrationInfo("proxy", "1.0.1"));
    }
}
