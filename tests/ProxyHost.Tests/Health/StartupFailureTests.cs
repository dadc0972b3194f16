using FingerprintProxy.Health;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Tests.Health;

public sealed class StartupFailureTests
{
    [Fact]
    public void Describe_ValidationFailures_AreListedWhole_WithoutAStackTrace()
    {
        var exception = new AggregateException(
            new OptionsValidationException("a", typeof(object), ["FPJS_BEHAVIOR_PATH must be empty or made of letters.", "FPJS_MAX_BODY_BYTES must be between 1 and 104857600 bytes."]));

        var text = StartupFailure.Describe(exception);

        Assert.Equal("Invalid configuration: FPJS_BEHAVIOR_PATH must be empty or made of letters. FPJS_MAX_BODY_BYTES must be between 1 and 104857600 bytes.", text);
    }

    [Fact]
    public void Describe_OtherFailure_GivesTypeAndMessage()
    {
        Assert.Equal("Start-up failed: IOException: address in use", StartupFailure.Describe(new IOException("address in use")));
    }
}
