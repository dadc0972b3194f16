namespace FingerprintProxy.Configuration;

/// <summary>Where the value of a setting came from; shown on the status page.</summary>
public enum SettingSource
{
    /// <summary>Not set anywhere: the built-in default (or nothing) is in force.</summary>
    Default,

    /// <summary><c>appsettings.json</c>.</summary>
    File,

    /// <summary>An environment variable.</summary>
    Environment,

    /// <summary>A command-line argument.</summary>
    CommandLine,

    /// <summary>The AWS Secrets Manager secret named by <c>FPJS_SECRET_NAME</c>.</summary>
    SecretsManager,

    /// <summary>Any other configuration provider (tests, hosting code).</summary>
    Other,
}
