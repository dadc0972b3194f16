using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FingerprintProxy.Hosting.AwsLambda;

/// <summary>
/// Reports a failure to start (typically an invalid setting refused by options validation) to the
/// Runtime API's <c>/init/error</c>, so that the invocation fails with the reason instead of a bare
/// "Runtime exited" and the reason shows in the function's logs.
/// </summary>
public static class LambdaStartupFailure
{
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(10);

    /// <summary>True when the process runs inside Lambda (<c>AWS_LAMBDA_RUNTIME_API</c> is set).</summary>
    /// <param name="configuration">The application's configuration, or null when it could not be built.</param>
    public static bool IsLambda(IConfiguration? configuration) => RuntimeApi(configuration) is not null;

    /// <summary>
    /// Writes the reason to standard error and posts it to <c>/init/error</c>. Never throws: the caller is
    /// about to exit with a non-zero code whatever happens here.
    /// </summary>
    /// <param name="configuration">The application's configuration, or null when it could not be built.</param>
    /// <param name="exception">What stopped the start-up.</param>
    /// <returns>True when the Runtime API accepted the report.</returns>
    public static async Task<bool> ReportAsync(IConfiguration? configuration, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = Describe(exception);
        await Console.Error.WriteLineAsync("Start-up failed (" + error.ErrorType + "): " + error.ErrorMessage);
        if (RuntimeApi(configuration) is not { } runtimeApi)
        {
            return false;
        }

        try
        {
            using var client = new LambdaRuntimeApiClient(runtimeApi);
            using var timeout = new CancellationTokenSource(ReportTimeout);
            await client.PostInitErrorAsync(error, timeout.Token);
            return true;
        }
        catch (Exception postException) when (postException is HttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("Could not report the start-up failure to the Lambda Runtime API: " + postException.Message);
            return false;
        }
    }

    internal static LambdaErrorPayload Describe(Exception exception)
    {
        var validation = exception as OptionsValidationException
            ?? (exception as AggregateException)?.Flatten().InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault();
        if (validation is not null)
        {
            var failures = exception is AggregateException aggregate
                ? aggregate.Flatten().InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)
                : validation.Failures;
            return new LambdaErrorPayload
            {
                ErrorType = "Runtime.ConfigInvalid",
                ErrorMessage = "Invalid configuration: " + string.Join(" ", failures),
            };
        }

        return new LambdaErrorPayload
        {
            ErrorType = "Runtime.InitError",
            ErrorMessage = exception.GetType().Name + ": " + exception.Message,
        };
    }

    private static string? RuntimeApi(IConfiguration? configuration)
    {
        var value = configuration?[LambdaRuntimeApiClient.RuntimeApiKey] ?? Environment.GetEnvironmentVariable(LambdaRuntimeApiClient.RuntimeApiKey);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
