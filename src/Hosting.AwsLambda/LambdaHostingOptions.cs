namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// How the application is served on the Lambda Runtime API; configured through
/// <see cref="Microsoft.Extensions.DependencyInjection.LambdaHostingServiceCollectionExtensions.AddAWSLambdaHosting"/>.
/// </summary>
public sealed class LambdaHostingOptions
{
    /// <summary>
    /// How long before the invocation deadline <c>RequestAborted</c> fires (200 ms by default). Lambda
    /// stops the function at the deadline itself, so an answer posted after it never reaches the client;
    /// aborting slightly earlier leaves time to post a 504 the client can read instead of the Function
    /// URL's bare error. Must not be negative.
    /// </summary>
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Called before each invocation is served, with the application's services and a token that is
    /// cancelled when the server stops. Lambda freezes the execution environment between invocations, so
    /// timers do not run: this is where a host re-reads configuration that went stale while it was frozen.
    /// The hook bounds its own duration (the invocation waits for it); an exception from it is logged and
    /// the invocation is served anyway. Null (the default) calls nothing.
    /// </summary>
    public Func<IServiceProvider, CancellationToken, Task>? BeforeInvocationAsync { get; set; }
}
