using FingerprintProxy.Hosting.AwsLambda.Tests.Infrastructure;
using FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;
using FingerprintProxy.Tests.Infrastructure;
using FingerprintProxy.Tests.Secrets;

namespace FingerprintProxy.Tests.Lambda;

/// <summary>
/// Lambda freezes the execution environment between invocations, so the secret's reload timer does not
/// run: before serving an invocation the host asks the secret whether a read is due (the staleness rules
/// themselves are the configuration provider's, tested with a fake clock in its library).
/// </summary>
public sealed class LambdaSettingsRefreshTests
{
    private const string SecretId = "prod/fingerprint-proxy";

    [Fact]
    public async Task Invocations_WithAFreshSecret_AreServedWithIt_WithoutReadingItAgain()
    {
        await using var runtime = await FakeLambdaRuntime.StartAsync(TimeProvider.System);
        await using var upstream = await FakeFingerprint.StartAsync();
        await using var secrets = await FakeSecretsManager.StartAsync("eu-west-1");
        using var profile = AwsProfile.Create(FakeSecretsManager.AccessKey, FakeSecretsManager.SecretKey, sessionToken: null);
        secrets.SetSecret(SecretId, """{"FPJS_PRE_SHARED_SECRET":"secret-from-the-store-c41d"}""");
        await using var host = await LambdaProxyHost.StartAsync(runtime, upstream.Port,
        [
            $"--FPJS_SECRET_NAME={SecretId}",
            "--FPJS_SECRET_REGION=eu-west-1",
            $"--AWS:ServiceURL={secrets.Endpoint}",
            $"--AWS:Profile={AwsProfile.Name}",
            $"--AWS:ProfilesLocation={profile.Path}",
        ]);
        var readsAtStart = secrets.Requests.Count;

        var first = await runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody).ToJsonString());
        var second = await runtime.InvokeAsync(FunctionUrlEvents.Load(FunctionUrlEvents.PostBinaryBody).ToJsonString());

        Assert.Equal(1, readsAtStart);
        Assert.Equal((200, 200), (first.StatusCode, second.StatusCode));
        Assert.All(upstream.Requests, r => Assert.Equal(["secret-from-the-store-c41d"], r.Header("FPJS-Proxy-Secret")));
        Assert.Equal(readsAtStart, secrets.Requests.Count);
    }
}
