using System.Text;
using FingerprintProxy.Secrets;

namespace FingerprintProxy.Tests.Secrets;

public sealed class SecretSettingsParserTests
{
    // Appears in every rejected secret below, so each test can check it is never echoed.
    private const string Canary = "canary-Zq7X";

    [Fact]
    public void Parse_ObjectOfStrings_ReturnsValuesWithCaseInsensitiveKeys()
    {
        var result = Parse("""{"fpjs_pre_shared_secret":"s3cr3t","FPJS_Behavior_Path":"abc","FPJS_AGENT_DOWNLOAD_PATH":"ag"}""");

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Values);
        Assert.Equal("s3cr3t", result.Values["FPJS_PRE_SHARED_SECRET"]);
        Assert.Equal("abc", result.Values["fpjs_behavior_path"]);
        Assert.Equal("ag", result.Values["FPJS_AGENT_DOWNLOAD_PATH"]);
        Assert.Empty(result.IgnoredKeys);
    }

    [Fact]
    public void Parse_UnknownKeys_AreKeptButListedAsIgnored()
    {
        var result = Parse("""{"FPJS_PRE_SHARED_SECRETT":"typo","other_tool_password":"x","FPJS_GET_RESULT_PATH":"r"}""");

        Assert.Empty(result.Errors);
        Assert.Equal(["FPJS_PRE_SHARED_SECRETT", "other_tool_password"], result.IgnoredKeys);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData(" { } ")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":""}""")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"with inner space and !#$%&'()*+,-./:;<=>?@[]^_`{|}~"}""")]
    [InlineData("""{"FPJS_BEHAVIOR_PATH":"a\u0062c"}""")]
    public void Parse_AcceptedShapes_HaveNoErrors(string json)
    {
        var result = Parse(json);

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Values);
    }

    [Theory]
    [InlineData("canary-Zq7X", "not valid JSON")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET": canary-Zq7X}""", "not valid JSON (error at line 1")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"canary-Zq7X",}""", "not valid JSON")]
    [InlineData("{\"FPJS_PRE_SHARED_SECRET\":\"canary-Zq7X\" /* comment */}", "not valid JSON")]
    [InlineData("""["canary-Zq7X"]""", "must be a JSON object of string values (key/value pairs in the console), but it is a JSON array")]
    [InlineData("\"canary-Zq7X\"", "but it is a JSON string")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"canary-Zq7X","FPJS_BEHAVIOR_PATH":42}""", "Key 'FPJS_BEHAVIOR_PATH' must be a string, but it is a JSON number")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"canary-Zq7X","FPJS_BEHAVIOR_PATH":null}""", "Key 'FPJS_BEHAVIOR_PATH' must be a string, but it is a JSON null")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"canary-Zq7X","FPJS_BEHAVIOR_PATH":true}""", "Key 'FPJS_BEHAVIOR_PATH' must be a string, but it is a JSON boolean")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":{"v":"canary-Zq7X"}}""", "Key 'FPJS_PRE_SHARED_SECRET' must be a string, but it is a JSON object")]
    [InlineData("""{"unrelated":["canary-Zq7X"]}""", "Key 'unrelated' must be a string, but it is a JSON array")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"canary-Zq7X","fpjs_pre_shared_secret":"canary-Zq7X"}""", "Key 'fpjs_pre_shared_secret' appears more than once")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"canary-Zq7X\r\nX-Injected: 1"}""", "Key 'FPJS_PRE_SHARED_SECRET' must be printable ASCII")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":" canary-Zq7X"}""", "without leading or trailing spaces")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"canary-Zq7X\t"}""", "must be printable ASCII")]
    [InlineData("""{"FPJS_PRE_SHARED_SECRET":"canary-Zq7X-é"}""", "must be printable ASCII")]
    public void Parse_InvalidSecret_IsRejectedWholeWithAMessageThatNeverQuotesTheSecret(string json, string expected)
    {
        var result = Parse(json);

        Assert.Null(result.Values);
        var message = string.Join(" ", result.Errors);
        Assert.Contains(expected, message);
        Assert.DoesNotContain(Canary, message);
        Assert.DoesNotContain(Canary, result.ToString());
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEachKey()
    {
        var result = Parse("""{"FPJS_BEHAVIOR_PATH":1,"FPJS_GET_RESULT_PATH":[],"FPJS_PRE_SHARED_SECRET":"ok"}""");

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("FPJS_BEHAVIOR_PATH", result.Errors[0]);
        Assert.Contains("FPJS_GET_RESULT_PATH", result.Errors[1]);
    }

    [Fact]
    public void Parse_KeyWithControlCharacters_IsShownSanitized()
    {
        var result = Parse("{\"bad\\nkey\":1}");

        Assert.Equal("Key 'bad?key' must be a string, but it is a JSON number.", Assert.Single(result.Errors));
    }

    [Fact]
    public void Parse_Utf8Bom_IsAccepted()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. """{"FPJS_BEHAVIOR_PATH":"b"}"""u8];

        var result = SecretSettingsParser.Parse(bytes);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void ToString_OfAcceptedResult_ShowsOnlyTheKeyCount()
    {
        var result = Parse("""{"FPJS_PRE_SHARED_SECRET":"canary-Zq7X"}""");

        Assert.Equal("1 keys", result.ToString());
    }

    private static SecretParseResult Parse(string json) => SecretSettingsParser.Parse(Encoding.UTF8.GetBytes(json));
}
