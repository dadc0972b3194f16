using System.Runtime.CompilerServices;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests;

/// <summary>
/// Makes the AWS SDK's environment lookups hermetic for the whole test run: no instance metadata endpoint
/// (its address is not loopback), no shared config or credentials files of the machine, and none of the
/// machine's AWS variables. Tests that need one set it themselves (in the <see cref="EnvironmentTests"/> collection).
/// </summary>
internal static class TestEnvironment
{
    public static readonly string MissingFile = Path.Combine(Path.GetTempPath(), "no-such-aws-file-" + Guid.NewGuid().ToString("N"));

    [ModuleInitializer]
    internal static void Initialize()
    {
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", MissingFile);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", MissingFile);
        foreach (var name in (string[])[
            "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"])
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}

/// <summary>Tests that change process environment variables: run alone, after every parallel test.</summary>
[CollectionDefinition(nameof(EnvironmentTests), DisableParallelization = true)]
public sealed class EnvironmentTests;
