namespace FingerprintProxy.Lambda;

/// <summary>How the Lambda server reaches the Runtime API; set from <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
internal sealed record LambdaHostingOptions
{
    /// <summary><c>host:port</c> of the Runtime API, as Lambda puts it in <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public required string RuntimeApi { get; init; }

    /// <summary>
    /// How long before the invocation deadline <c>RequestAborted</c> fires. Lambda stops the function at
    /// the deadline itself, so an answer posted after it never reaches the client; aborting slightly
    /// earlier leaves time to post a 504 the client can read instead of the Function URL's bare error.
    /// </summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The longest an invocation waits for stale runtime settings (the Secrets Manager secret) to be
    /// re-read after the execution environment thawed; past it the request is served with the values in force.
    /// </summary>
    public TimeSpan SettingsRefreshWait { get; init; } = TimeSpan.FromSeconds(2);
}
