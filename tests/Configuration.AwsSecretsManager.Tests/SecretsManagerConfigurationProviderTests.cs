using System.Net;
using System.Text;
using FingerprintProxy.Configuration.AwsSecretsManager.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace FingerprintProxy.Configuration.AwsSecretsManager.Tests;

public sealed class SecretsManagerConfigurationProviderTests : IAsyncLifetime
{
    private const string SecretId = "app/settings";
    private static readonly TimeSpan ReloadAfter = TimeSpan.FromMinutes(5);

    // Longer than any backoff or retry delay, shorter than ReloadAfter: no test advances by it by accident.
    private static readonly TimeSpan LongRequestTimeout = TimeSpan.FromSeconds(90);

    private readonly ObservableTimeProvider _time = new();
    private readonly List<IDisposable> _disposables = [];
    private FakeSecretsManager _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSecretsManager.StartAsync("eu-west-3");

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        await _fake.DisposeAsync();
    }

    [Fact]
    public void Build_SecretString_PutsTheFlattenedKeysInConfiguration()
    {
        _fake.SetSecret(SecretId, """{"Api":{"Key":"k1","Hosts":["a","b"]},"Enabled":true}""", "version-1");

        var config = Build();

        Assert.Equal("k1", config["Api:Key"]);
        Assert.Equal("b", config["api:hosts:1"]);
        Assert.Equal("True", config["Enabled"]);
        var state = Provider(config).State;
        Assert.True(state.Loaded);
        Assert.Equal("app/settings (eu-west-3)", state.Target);
        Assert.Equal("version-1", state.VersionId);
        Assert.Equal(["Api:Hosts:0", "Api:Hosts:1", "Api:Key", "Enabled"], state.Keys);
        Assert.Null(state.LastError);
        Assert.Equal(_time.GetUtcNow(), state.LastSuccess);
    }

    [Fact]
    public void Build_SecretBinary_IsReadAsUtf8Json()
    {
        _fake.SetSecretBinary(SecretId, Encoding.UTF8.GetBytes("\uFEFF{\"Key\":\"from binary\"}"));

        var config = Build();

        Assert.Equal("from binary", config["Key"]);
    }

    [Fact]
    public void Build_Request_IsOneSignedGetSecretValueForTheStage()
    {
        _fake.SetSecret(SecretId, "{}");

        Build(source => source.VersionStage = "AWSPREVIOUS");

        var request = Assert.Single(_fake.Requests);
        Assert.Null(request.Refusal);
        Assert.Equal("secretsmanager.GetSecretValue", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Equal("""{"SecretId":"app/settings","VersionStage":"AWSPREVIOUS"}""", request.Body);
        Assert.Contains("/eu-west-3/secretsmanager/aws4_request", request.Headers["Authorization"]);
    }

    [Fact]
    public void Build_AddedLast_OverridesEarlierSources()
    {
        _fake.SetSecret(SecretId, """{"Shared":"from secret"}""");

        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Shared"] = "from memory", ["Other"] = "kept" })
            .AddSecretsManager(Configure)
            .Build();
        _disposables.Add((IDisposable)config);

        Assert.Equal("from secret", config["Shared"]);
        Assert.Equal("kept", config["Other"]);
    }

    [Fact]
    public async Task ConfigurationManager_AddSecretsManager_LoadsAtOnceAndReloadsLikeAWebApplicationBuilder()
    {
        _fake.SetSecret(SecretId, """{"Key":"v1"}""");
        using var manager = new ConfigurationManager();
        manager.AddInMemoryCollection(new Dictionary<string, string?> { ["Key"] = "from memory" });

        manager.AddSecretsManager(source =>
        {
            Configure(source);
            source.ReloadAfter = ReloadAfter;
        });

        Assert.Equal("v1", manager["Key"]);
        var changed = NextChange(manager);
        _fake.SetSecret(SecretId, """{"Key":"v2"}""", "v2");
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);
        await changed;
        Assert.Equal("v2", manager["Key"]);
    }

    [Fact]
    public void Build_KeyFilter_LeavesOutTheKeysItRefuses()
    {
        _fake.SetSecret(SecretId, """{"Secret":{"Name":"x","Region":"y"},"Api":{"Key":"k"}}""");

        var config = Build(source => source.KeyFilter = key => !key.StartsWith("Secret:", StringComparison.OrdinalIgnoreCase));

        Assert.Null(config["Secret:Name"]);
        Assert.Equal("k", config["Api:Key"]);
        Assert.Equal(["Api:Key"], Provider(config).State.Keys);
    }

    [Fact]
    public async Task Reload_ChangedSecret_SwapsTheDataAndFiresTheTokenAndReloadCompleted()
    {
        _fake.SetSecret(SecretId, """{"Key":"old","Gone":"x"}""", "v1");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        var changed = NextChange(config);
        var completed = NextReload(Provider(config));

        _fake.SetSecret(SecretId, """{"Key":"new"}""", "v2");
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);

        await changed;
        var result = await completed;
        Assert.Equal("new", config["Key"]);
        Assert.Null(config["Gone"]);
        Assert.Equal(SecretsManagerReloadOutcome.Applied, result.Outcome);
        Assert.Equal("v2", result.VersionId);
        Assert.Null(result.Error);
        Assert.Equal(["Key"], result.State.Keys);
        Assert.Same(result.State, Provider(config).State);
    }

    [Fact]
    public async Task Reload_UnchangedSecret_FiresNoToken()
    {
        _fake.SetSecret(SecretId, """{"Key":"same"}""");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        var tokenFired = 0;
        using var registration = ChangeToken.OnChange(config.GetReloadToken, () => Interlocked.Increment(ref tokenFired));
        var completed = NextReload(Provider(config));

        await _time.AdvanceWhenWaitingAsync(ReloadAfter);

        Assert.Equal(SecretsManagerReloadOutcome.Unchanged, (await completed).Outcome);
        Assert.Equal(0, tokenFired);
        Assert.Equal(2, _fake.Requests.Count);
        Assert.Equal(_time.GetUtcNow(), Provider(config).State.LastSuccess);
    }

    [Theory]
    [InlineData("""{"Key":"hunter2",}""", "The secret is not valid JSON (error at line 1, byte 18).")]
    [InlineData("""["hunter2"]""", "The secret must be a JSON object (key/value pairs in the console), but it is a JSON array.")]
    [InlineData("""{"Key":"hunter2","KEY":"hunter2"}""", "Key 'KEY' appears more than once (keys are case-insensitive).")]
    public async Task Reload_RejectedSecret_KeepsTheLastGoodDataAndFiresNoToken(string rejected, string reason)
    {
        _fake.SetSecret(SecretId, """{"Key":"good"}""", "v1");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        var tokenFired = 0;
        using var registration = ChangeToken.OnChange(config.GetReloadToken, () => Interlocked.Increment(ref tokenFired));
        var completed = NextReload(Provider(config));

        _fake.SetSecret(SecretId, rejected, "v2");
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);

        var result = await completed;
        Assert.Equal(SecretsManagerReloadOutcome.Failed, result.Outcome);
        Assert.Equal(SecretsManagerErrorKind.InvalidSecret, result.Error!.Kind);
        Assert.Equal(reason, result.Error.Message);
        Assert.Equal("v2", result.VersionId);
        Assert.Equal("good", config["Key"]);
        Assert.Equal(0, tokenFired);
        var state = Provider(config).State;
        Assert.True(state.Loaded);
        Assert.Equal(reason, state.LastError);
        Assert.Equal(_time.GetUtcNow(), state.LastErrorAt);
        Assert.Equal("v1", state.VersionId);
        Assert.Equal(["Key"], state.Keys);
        Assert.DoesNotContain("hunter2", state.ToString());
    }

    [Fact]
    public async Task Reload_GoodSecretAfterARejectedOne_IsAppliedAndClearsTheError()
    {
        _fake.SetSecret(SecretId, """{"Key":"good"}""", "v1");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        var rejected = NextReload(Provider(config));
        _fake.SetSecret(SecretId, "not json", "v2");
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);
        await rejected;
        var applied = NextReload(Provider(config));

        _fake.SetSecret(SecretId, """{"Key":"better"}""", "v3");
        await _time.WaitForTimerAsync(due => due <= TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(SecretsManagerReloadOutcome.Applied, (await applied).Outcome);
        Assert.Equal("better", config["Key"]);
        Assert.Null(Provider(config).State.LastError);
        Assert.NotNull(Provider(config).State.LastErrorAt);
    }

    [Theory]
    [InlineData("AccessDeniedException", SecretsManagerErrorKind.AccessDenied)]
    [InlineData("ResourceNotFoundException", SecretsManagerErrorKind.NotFound)]
    [InlineData("DecryptionFailure", SecretsManagerErrorKind.DecryptionFailure)]
    public async Task Reload_ErrorThatRetryingCannotFix_IsNotRetriedAndKeepsTheData(string errorCode, SecretsManagerErrorKind kind)
    {
        _fake.SetSecret(SecretId, """{"Key":"good"}""");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        var completed = NextReload(Provider(config));

        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, errorCode, "Not for you.");
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);

        var result = await completed;
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal($"{errorCode} (HTTP 400): Not for you.", Provider(config).State.LastError);
        Assert.Equal(2, _fake.Requests.Count);
        Assert.Equal("good", config["Key"]);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ThrottlingException", SecretsManagerErrorKind.Throttled)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalServiceError", SecretsManagerErrorKind.ServiceError)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", SecretsManagerErrorKind.ServiceError)]
    public async Task Reload_ThrottlingOrServerError_IsRetriedMaxAttemptsTimes(HttpStatusCode status, string errorCode, SecretsManagerErrorKind kind)
    {
        _fake.SetSecret(SecretId, """{"Key":"good"}""");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        var completed = NextReload(Provider(config));
        using var advancing = new CancellationTokenSource();
        var retries = _time.AdvanceShortTimersAsync(TimeSpan.FromMilliseconds(500), advancing.Token);

        _fake.Override = FakeAnswer.Error(status, errorCode, "Later.");
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);

        var result = await completed;
        advancing.Cancel();
        await retries;
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(1 + 3, _fake.Requests.Count);
        Assert.Equal("good", config["Key"]);
    }

    [Fact]
    public async Task Reload_ThrottledOnceThenOk_AppliesWithinTheSameRead()
    {
        _fake.SetSecret(SecretId, """{"Key":"old"}""");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        var completed = NextReload(Provider(config));
        using var advancing = new CancellationTokenSource();
        var retries = _time.AdvanceShortTimersAsync(TimeSpan.FromMilliseconds(500), advancing.Token);

        _fake.Enqueue(FakeAnswer.Error(HttpStatusCode.BadRequest, "ThrottlingException", "Rate exceeded"));
        _fake.SetSecret(SecretId, """{"Key":"new"}""", "v2");
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);

        Assert.Equal(SecretsManagerReloadOutcome.Applied, (await completed).Outcome);
        advancing.Cancel();
        await retries;
        Assert.Equal("new", config["Key"]);
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task Reload_NoAnswer_TimesOutAfterRequestTimeoutAndKeepsTheData()
    {
        _fake.SetSecret(SecretId, """{"Key":"good"}""");
        var timeout = TimeSpan.FromSeconds(7);
        var config = Build(source =>
        {
            source.ReloadAfter = ReloadAfter;
            source.RequestTimeout = timeout;
            source.MaxAttempts = 1;
        });
        var completed = NextReload(Provider(config));

        _fake.Override = FakeAnswer.Hang;
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);
        await _fake.WaitForRequestsAsync(2);
        await _time.AdvanceWhenWaitingAsync(timeout);

        var result = await completed;
        Assert.Equal(SecretsManagerErrorKind.Timeout, result.Error!.Kind);
        Assert.Equal("GetSecretValue did not complete within 7 s (127.0.0.1).", Provider(config).State.LastError);
        Assert.Equal("good", config["Key"]);
    }

    [Fact]
    public void Build_FirstReadFailsAndNotOptional_ThrowsWithTheReasonAndStops()
    {
        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "AccessDeniedException", "No GetSecretValue for you.");

        var error = Assert.Throws<SecretsManagerException>(() => Build(source => source.ReloadAfter = ReloadAfter));

        Assert.Equal(SecretsManagerErrorKind.AccessDenied, error.Kind);
        Assert.Equal("AccessDeniedException", error.ErrorCode);
        Assert.Equal("Secret app/settings (eu-west-3) could not be loaded: AccessDeniedException (HTTP 400): No GetSecretValue for you.", error.Message);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public void Build_FirstReadRejectedAndNotOptional_ThrowsWithoutTheValue()
    {
        _fake.SetSecret(SecretId, "hunter2");

        var error = Assert.Throws<SecretsManagerException>(() => Build());

        Assert.Equal(SecretsManagerErrorKind.InvalidSecret, error.Kind);
        Assert.DoesNotContain("hunter2", error.ToString());
    }

    [Fact]
    public async Task Build_FirstReadFailsAndOptional_StartsEmptyAndKeepsRetrying()
    {
        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "ResourceNotFoundException", "Not yet.");

        var config = Build(source =>
        {
            source.Optional = true;
            source.ReloadAfter = ReloadAfter;
        });

        Assert.Null(config["Key"]);
        var state = Provider(config).State;
        Assert.False(state.Loaded);
        Assert.Equal("ResourceNotFoundException (HTTP 400): Not yet.", state.LastError);
        Assert.Empty(state.Keys);

        var changed = NextChange(config);
        _fake.Override = null;
        _fake.SetSecret(SecretId, """{"Key":"at last"}""");
        var backoff = await _time.WaitForTimerAsync(due => due >= TimeSpan.FromMilliseconds(500) && due <= TimeSpan.FromSeconds(1));
        _time.Advance(backoff);

        await changed;
        Assert.Equal("at last", config["Key"]);
        Assert.True(Provider(config).State.Loaded);
    }

    [Fact]
    public void Build_FirstReadFailsAndOnLoadExceptionIgnores_DoesNotThrow()
    {
        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "AccessDeniedException", "No.");
        var contexts = new List<(SecretsManagerErrorKind Kind, bool Reload)>();

        var config = Build(source => source.OnLoadException = context =>
        {
            contexts.Add((context.Exception.Kind, context.Reload));
            context.Ignore = true;
        });

        Assert.Null(config["Key"]);
        Assert.Equal([(SecretsManagerErrorKind.AccessDenied, false)], contexts);
    }

    [Fact]
    public async Task OnLoadException_FailedReload_IsCalledWithReloadTrue()
    {
        _fake.SetSecret(SecretId, """{"Key":"good"}""");
        var called = new TaskCompletionSource<SecretsManagerLoadExceptionContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = Build(source =>
        {
            source.ReloadAfter = ReloadAfter;
            source.OnLoadException = context => called.TrySetResult(context);
        });

        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "AccessDeniedException", "No.");
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);

        var context = await called.Task;
        Assert.True(context.Reload);
        Assert.Same(Provider(config), context.Provider);
        Assert.Equal(SecretsManagerErrorKind.AccessDenied, context.Exception.Kind);
    }

    [Fact]
    public async Task Build_FirstReadSlowerThanInitialLoadTimeout_ReturnsEmptyAndFiresTheTokenWhenTheReadLands()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.Enqueue(FakeAnswer.HeldUntil(release.Task, FakeAnswer.Secret("""{"Key":"late"}""")));
        var initialLoadTimeout = TimeSpan.FromSeconds(3);

        var building = Task.Run(() => Build(source =>
        {
            source.InitialLoadTimeout = initialLoadTimeout;
            source.RequestTimeout = LongRequestTimeout;
        }));
        await _fake.WaitForRequestsAsync(1);
        await _time.AdvanceWhenWaitingAsync(initialLoadTimeout);
        var config = await building;

        Assert.Null(config["Key"]);
        Assert.False(Provider(config).State.Loaded);
        var changed = NextChange(config);
        release.SetResult();
        await changed;
        Assert.Equal("late", config["Key"]);
        Assert.True(Provider(config).State.Loaded);
    }

    [Fact]
    public async Task Build_FirstReadTimesOutWithinInitialLoadTimeoutAndOptional_RecordsTheTimeout()
    {
        _fake.Override = FakeAnswer.Hang;
        var requestTimeout = TimeSpan.FromSeconds(2);

        var building = Task.Run(() => Build(source =>
        {
            source.Optional = true;
            source.MaxAttempts = 1;
            source.RequestTimeout = requestTimeout;
        }));
        await _fake.WaitForRequestsAsync(1);
        await _time.AdvanceWhenWaitingAsync(requestTimeout);
        var config = await building;

        Assert.Equal("GetSecretValue did not complete within 2 s (127.0.0.1).", Provider(config).State.LastError);
    }

    [Fact]
    public async Task ReloadIfStale_Fresh_ReturnsTrueWithoutARequest()
    {
        _fake.SetSecret(SecretId, """{"Key":"v"}""");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        _time.AdjustTime(_time.GetUtcNow() + ReloadAfter - TimeSpan.FromSeconds(1));

        var current = await Provider(config).ReloadIfStaleAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.True(current);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task ReloadIfStale_Stale_ReadsOnceAndReturnsTrue()
    {
        _fake.SetSecret(SecretId, """{"Key":"old"}""");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        _fake.SetSecret(SecretId, """{"Key":"new"}""", "v2");

        // A frozen host thaws: the clock has moved on, the reload timer has not fired.
        _time.AdjustTime(_time.GetUtcNow() + ReloadAfter);
        var current = await Provider(config).ReloadIfStaleAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.True(current);
        Assert.Equal("new", config["Key"]);
        Assert.Equal(2, _fake.Requests.Count);
        Assert.True(await Provider(config).ReloadIfStaleAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task ReloadIfStale_TwoConcurrentCallers_ShareOneRead()
    {
        _fake.SetSecret(SecretId, """{"Key":"old"}""");
        var config = Build(source =>
        {
            source.ReloadAfter = ReloadAfter;
            source.RequestTimeout = LongRequestTimeout;
        });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.Override = FakeAnswer.HeldUntil(release.Task, FakeAnswer.Secret("""{"Key":"new"}""", "v2"));
        _time.AdjustTime(_time.GetUtcNow() + ReloadAfter);

        var first = Provider(config).ReloadIfStaleAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        var second = Provider(config).ReloadIfStaleAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        await _fake.WaitForRequestsAsync(2);
        release.SetResult();

        Assert.Equal(new[] { true, true }, await Task.WhenAll(first, second));
        Assert.Equal(2, _fake.Requests.Count);
        Assert.Equal("new", config["Key"]);
    }

    [Fact]
    public async Task ReloadIfStale_ReadSlowerThanMaxWait_ReturnsFalseAndTheReadGoesOn()
    {
        _fake.SetSecret(SecretId, """{"Key":"old"}""");
        var config = Build(source =>
        {
            source.ReloadAfter = ReloadAfter;
            source.RequestTimeout = LongRequestTimeout;
        });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.Override = FakeAnswer.HeldUntil(release.Task, FakeAnswer.Secret("""{"Key":"new"}""", "v2"));
        _time.AdjustTime(_time.GetUtcNow() + ReloadAfter);
        var maxWait = TimeSpan.FromSeconds(2);

        var waiting = Provider(config).ReloadIfStaleAsync(maxWait, CancellationToken.None);
        await _fake.WaitForRequestsAsync(2);
        await _time.AdvanceWhenWaitingAsync(maxWait);

        Assert.False(await waiting);
        Assert.Equal("old", config["Key"]);
        var completed = NextReload(Provider(config));
        release.SetResult();
        Assert.Equal(SecretsManagerReloadOutcome.Applied, (await completed).Outcome);
        Assert.Equal("new", config["Key"]);
        Assert.True(await Provider(config).ReloadIfStaleAsync(maxWait, CancellationToken.None));
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task ReloadIfStale_LastReadFailedAndBackoffNotOver_ReturnsFalseWithoutARequest()
    {
        _fake.Override = FakeAnswer.Error(HttpStatusCode.BadRequest, "AccessDeniedException", "No.");
        var config = Build(source =>
        {
            source.Optional = true;
            source.ReloadAfter = ReloadAfter;
        });

        var current = await Provider(config).ReloadIfStaleAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.False(current);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task ReloadAsync_TwoCallsWhileTheTimerReads_NeverTwoRequestsAtOnce()
    {
        _fake.SetSecret(SecretId, """{"Key":"v1"}""");
        var config = Build(source =>
        {
            source.ReloadAfter = ReloadAfter;
            source.RequestTimeout = LongRequestTimeout;
        });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _fake.Override = FakeAnswer.HeldUntil(release.Task, FakeAnswer.Secret("""{"Key":"v2"}""", "v2"));

        await _time.AdvanceWhenWaitingAsync(ReloadAfter);
        await _fake.WaitForRequestsAsync(2);
        var first = Provider(config).ReloadAsync(CancellationToken.None);
        var second = Provider(config).ReloadAsync(CancellationToken.None);
        release.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(4, _fake.Requests.Count);
        Assert.Equal(1, _fake.MaxConcurrentRequests);
        Assert.Equal("v2", config["Key"]);
    }

    [Fact]
    public async Task ReloadAsync_ReadsNowAndMovesTheNextTimerRead()
    {
        _fake.SetSecret(SecretId, """{"Key":"v1"}""");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        _fake.SetSecret(SecretId, """{"Key":"v2"}""", "v2");

        await Provider(config).ReloadAsync(CancellationToken.None);

        Assert.Equal("v2", config["Key"]);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public void ConfigurationRootReload_ReadsTheSecretAgain()
    {
        _fake.SetSecret(SecretId, """{"Key":"v1"}""");
        var config = Build();
        _fake.SetSecret(SecretId, """{"Key":"v2"}""", "v2");

        config.Reload();

        Assert.Equal("v2", config["Key"]);
        Assert.Equal(2, _fake.Requests.Count);
    }

    [Fact]
    public async Task Reload_HandlersThatThrow_DoNotStopTheReloads()
    {
        _fake.SetSecret(SecretId, """{"Key":"v1"}""");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        using var registration = ChangeToken.OnChange(config.GetReloadToken, () => throw new InvalidOperationException("consumer bug"));
        Provider(config).ReloadCompleted += (_, _) => throw new InvalidOperationException("handler bug");

        _fake.SetSecret(SecretId, """{"Key":"v2"}""", "v2");
        var secondRead = NextReload(Provider(config));
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);
        await secondRead;
        _fake.SetSecret(SecretId, """{"Key":"v3"}""", "v3");
        var thirdRead = NextReload(Provider(config));
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);

        Assert.Equal(SecretsManagerReloadOutcome.Applied, (await thirdRead).Outcome);
        Assert.Equal("v3", config["Key"]);
    }

    [Fact]
    public async Task Reload_KeyFilterThatThrows_IsAFailedReadAndTheLoopGoesOn()
    {
        _fake.SetSecret(SecretId, """{"Key":"v1"}""");
        var config = Build(source =>
        {
            source.ReloadAfter = ReloadAfter;
            source.KeyFilter = key => key == "Boom" ? throw new InvalidOperationException("filter bug") : true;
        });
        var failed = NextReload(Provider(config));

        _fake.SetSecret(SecretId, """{"Key":"v2","Boom":"x"}""", "v2");
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);

        var result = await failed;
        Assert.Equal(SecretsManagerErrorKind.Other, result.Error!.Kind);
        Assert.Equal("Unexpected error while reading the secret (InvalidOperationException).", result.Error.Message);
        Assert.Equal("v1", config["Key"]);
        var retried = NextReload(Provider(config));
        _fake.SetSecret(SecretId, """{"Key":"v3"}""", "v3");
        var backoff = await _time.WaitForTimerAsync(due => due <= TimeSpan.FromSeconds(1));
        _time.Advance(backoff);
        Assert.Equal(SecretsManagerReloadOutcome.Applied, (await retried).Outcome);
    }

    [Fact]
    public async Task Reload_Jitter_SpreadsTheIntervalWithinTheFraction()
    {
        _fake.SetSecret(SecretId, "{}");
        Build(source =>
        {
            source.ReloadAfter = TimeSpan.FromMinutes(10);
            source.ReloadJitter = 0.2;
        });

        var due = await _time.WaitForTimerAsync(due => due >= TimeSpan.FromMinutes(1));

        Assert.InRange(due, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(12));
    }

    [Fact]
    public void Build_NoReloadAfter_ReadsOnlyOnce()
    {
        _fake.SetSecret(SecretId, """{"Key":"v1"}""");
        var config = Build();

        _time.Advance(TimeSpan.FromDays(30));

        Assert.Single(_fake.Requests);
        Assert.Equal("v1", config["Key"]);
    }

    [Fact]
    public async Task Dispose_StopsTheReloadLoop()
    {
        _fake.SetSecret(SecretId, """{"Key":"v1"}""");
        var config = Build(source => source.ReloadAfter = ReloadAfter);
        await _time.WaitForTimerAsync(due => due == ReloadAfter);

        ((IDisposable)config).Dispose();
        _time.Advance(ReloadAfter * 10);

        Assert.Single(_fake.Requests);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Provider(config).ReloadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_DuringARead_CancelsIt()
    {
        _fake.SetSecret(SecretId, """{"Key":"v1"}""");
        var config = Build(source =>
        {
            source.ReloadAfter = ReloadAfter;
            source.RequestTimeout = LongRequestTimeout;
        });
        _fake.Override = FakeAnswer.Hang;
        await _time.AdvanceWhenWaitingAsync(ReloadAfter);
        await _fake.WaitForRequestsAsync(2);

        ((IDisposable)config).Dispose();
        _time.Advance(ReloadAfter * 10);

        Assert.Equal(2, _fake.Requests.Count);
        Assert.Equal("v1", config["Key"]);
    }

    [Theory]
    // consecutive failures, ReloadAfter (s), MaxFailureDelay (s) -> capped step (s)
    [InlineData(1, 300, 60, 1)]
    [InlineData(2, 300, 60, 2)]
    [InlineData(4, 300, 60, 8)]
    [InlineData(7, 300, 60, 60)]
    [InlineData(40, 300, 60, 60)]
    [InlineData(7, 20, 60, 20)]
    [InlineData(7, 0, 30, 30)]
    public void FailureDelay_GrowsExponentiallyUpToTheCaps(int failures, int reloadAfterSeconds, int maxFailureDelaySeconds, double step)
    {
        using var provider = new SecretsManagerConfigurationProvider(new SecretsManagerConfigurationSource
        {
            SecretId = SecretId,
            AwsOptions = _fake.AwsOptions(),
            ReloadAfter = reloadAfterSeconds == 0 ? null : TimeSpan.FromSeconds(reloadAfterSeconds),
            MaxFailureDelay = TimeSpan.FromSeconds(maxFailureDelaySeconds),
        });

        for (var i = 0; i < 50; i++)
        {
            Assert.InRange(provider.FailureDelay(failures).TotalSeconds, step / 2, step);
        }
    }

    [Fact]
    public void ToString_NamesTheSecretNotItsValue()
    {
        _fake.SetSecret(SecretId, """{"Key":"hunter2"}""");
        var config = Build();

        Assert.Equal("SecretsManagerConfigurationProvider for secret app/settings (eu-west-3) (Required)", Provider(config).ToString());
        Assert.DoesNotContain("hunter2", Provider(config).State.ToString());
    }

    private void Configure(SecretsManagerConfigurationSource source)
    {
        source.SecretId = SecretId;
        source.AwsOptions = _fake.AwsOptions();
        source.TimeProvider = _time;
        source.ReloadJitter = 0;
    }

    private IConfigurationRoot Build(Action<SecretsManagerConfigurationSource>? configure = null)
    {
        var config = new ConfigurationBuilder()
            .AddSecretsManager(source =>
            {
                Configure(source);
                configure?.Invoke(source);
            })
            .Build();
        lock (_disposables)
        {
            _disposables.Add((IDisposable)config);
        }

        return config;
    }

    private static SecretsManagerConfigurationProvider Provider(IConfigurationRoot config) =>
        config.Providers.OfType<SecretsManagerConfigurationProvider>().Single();

    private static Task NextChange(IConfiguration config)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = ChangeToken.OnChange(config.GetReloadToken, () => changed.TrySetResult());
        return changed.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
    }

    private static Task<SecretsManagerReloadEventArgs> NextReload(SecretsManagerConfigurationProvider provider)
    {
        var completed = new TaskCompletionSource<SecretsManagerReloadEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(object? sender, SecretsManagerReloadEventArgs e)
        {
            provider.ReloadCompleted -= Handler;
            completed.TrySetResult(e);
        }

        provider.ReloadCompleted += Handler;
        return completed.Task;
    }
}
