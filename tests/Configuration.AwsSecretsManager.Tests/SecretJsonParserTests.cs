using System.Text;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests;

public sealed class SecretJsonParserTests
{
    [Fact]
    public void Parse_NestedObjectsAndArrays_FlattenLikeJsonConfiguration()
    {
        var data = Parse("""
            {
              "Plain": "text",
              "Number": 12.50,
              "Yes": true,
              "No": false,
              "Nothing": null,
              "Section": { "Inner": "a", "Deeper": { "Leaf": "b" } },
              "List": [ "x", { "Name": "y" }, [ 1 ] ],
              "EmptyObject": {},
              "EmptyList": []
            }
            """);

        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["Plain"] = "text",
                ["Number"] = "12.50",
                ["Yes"] = "True",
                ["No"] = "False",
                ["Nothing"] = null,
                ["Section:Inner"] = "a",
                ["Section:Deeper:Leaf"] = "b",
                ["List:0"] = "x",
                ["List:1:Name"] = "y",
                ["List:2:0"] = "1",
                ["EmptyObject"] = null,
                ["EmptyList"] = null,
            },
            data);
    }

    [Fact]
    public void Parse_Keys_AreCaseInsensitive()
    {
        var data = Parse("""{"Section":{"Key":"v"}}""");

        Assert.Equal("v", data["SECTION:key"]);
    }

    [Fact]
    public void Parse_EscapedString_IsUnescaped()
    {
        var data = Parse("""{"K":"a\"b\u00e9\n"}""");

        Assert.Equal("a\"bé\n", data["K"]);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsSkipped()
    {
        var data = SecretJsonParser.Parse(Encoding.UTF8.GetPreamble().Concat("""{"K":"v"}"""u8.ToArray()).ToArray());

        Assert.Equal("v", data["K"]);
    }

    [Theory]
    [InlineData("""{"Key":"1","KEY":"2"}""", "Key 'KEY' appears more than once (keys are case-insensitive).")]
    [InlineData("""{"a":{"b":"1"},"A:B":"2"}""", "Key 'A:B' appears more than once (keys are case-insensitive).")]
    [InlineData("""{"k":"1","k":"2"}""", "Key 'k' appears more than once (keys are case-insensitive).")]
    public void Parse_SameKeyTwice_RejectsTheSecret(string json, string message)
    {
        var error = Assert.Throws<SecretsManagerException>(() => Parse(json));

        Assert.Equal(SecretsManagerErrorKind.InvalidSecret, error.Kind);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""["hunter2"]""", "array")]
    [InlineData("\"hunter2\"", "string")]
    [InlineData("42", "number")]
    [InlineData("true", "boolean")]
    [InlineData("null", "null")]
    public void Parse_NotAnObject_RejectsTheSecretNamingWhatItIs(string json, string kind)
    {
        var error = Assert.Throws<SecretsManagerException>(() => Parse(json));

        Assert.Equal($"The secret must be a JSON object (key/value pairs in the console), but it is a JSON {kind}.", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Theory]
    [InlineData("""{"Key":"hunter2",}""", "line 1, byte 18")]
    [InlineData("hunter2", "line 1, byte 1")]
    [InlineData("{\n\"Key\": hunter2}", "line 2, byte 8")]
    [InlineData("""{"Key":"hunter2""", "line 1, byte 16")]
    public void Parse_InvalidJson_GivesThePositionButNoPartOfTheSecret(string json, string position)
    {
        var error = Assert.Throws<SecretsManagerException>(() => Parse(json));

        Assert.Equal(SecretsManagerErrorKind.InvalidSecret, error.Kind);
        Assert.Equal($"The secret is not valid JSON (error at {position}).", error.Message);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public void Parse_InvalidUtf8_IsRejected()
    {
        var error = Assert.Throws<SecretsManagerException>(() => SecretJsonParser.Parse(new byte[] { (byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}' }));

        Assert.Equal(SecretsManagerErrorKind.InvalidSecret, error.Kind);
        Assert.Equal("The secret holds text that is not valid UTF-8.", error.Message);
    }

    [Theory]
    [InlineData("short", "short")]
    [InlineData("tab\there", "tab?here")]
    public void ShowKey_ControlCharacters_AreReplaced(string key, string shown)
    {
        Assert.Equal(shown, SecretJsonParser.ShowKey(key));
    }

    [Fact]
    public void ShowKey_LongKey_IsCutAt64Characters()
    {
        Assert.Equal(new string('k', 64) + "...", SecretJsonParser.ShowKey(new string('k', 200)));
    }

    private static Dictionary<string, string?> Parse(string json) => SecretJsonParser.Parse(Encoding.UTF8.GetBytes(json));
}
