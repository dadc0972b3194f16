using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace FingerprintProxy.Hosting.AwsLambda.Tests;

/// <summary>The request features follow Kestrel where the pipeline can observe them.</summary>
public sealed class LambdaHttpFeaturesTests
{
    [Fact]
    public async Task OnStarting_RunsInReverseOrder_ThenStatusAndHeadersAreFrozen()
    {
        using var features = new LambdaHttpFeatures([], 1024, null);
        var order = new List<int>();
        features.OnStarting(_ => { order.Add(1); return Task.CompletedTask; }, this);
        features.OnStarting(_ => { order.Add(2); features.Headers["X-Late"] = "ok"; return Task.CompletedTask; }, this);

        await features.Stream.WriteAsync("body"u8.ToArray());

        Assert.Equal([2, 1], order);
        Assert.True(features.HasStarted);
        Assert.Equal("ok", features.Headers["X-Late"]);
        Assert.Throws<InvalidOperationException>(() => features.StatusCode = 500);
        Assert.Throws<InvalidOperationException>(() => features.Headers["X-Too-Late"] = "no");
        Assert.Throws<InvalidOperationException>(() => features.OnStarting(_ => Task.CompletedTask, this));
    }

    [Fact]
    public async Task OnCompleted_RunsInReverseOrder()
    {
        using var features = new LambdaHttpFeatures([], 1024, null);
        var order = new List<int>();
        features.OnCompleted(_ => { order.Add(1); return Task.CompletedTask; }, this);
        features.OnCompleted(_ => { order.Add(2); return Task.CompletedTask; }, this);

        await features.FireOnCompletedAsync();

        Assert.Equal([2, 1], order);
    }

    [Fact]
    public void SynchronousIo_IsRefusedUnlessAllowed()
    {
        using var features = new LambdaHttpFeatures([1, 2], 1024, null);
        var request = ((IHttpRequestFeature)features).Body;

        Assert.Throws<InvalidOperationException>(() => request.Read(new byte[2]));
        Assert.Throws<InvalidOperationException>(() => features.Stream.Write([1]));
        Assert.Throws<InvalidOperationException>(() => features.Stream.Flush());

        features.AllowSynchronousIO = true;
        Assert.Equal(2, request.Read(new byte[4]));
        features.Stream.Write([7]);
        Assert.Equal([7], features.ResponseBody.ToArray());
    }

    [Fact]
    public async Task RequestBodyOverTheLimit_Fails413WhenRead_AndTheLimitIsReadOnlyOnceReadingStarted()
    {
        using var features = new LambdaHttpFeatures(Encoding.UTF8.GetBytes("12345"), 1024, 4);
        var body = ((IHttpRequestFeature)features).Body;

        var failure = await Assert.ThrowsAsync<BadHttpRequestException>(() => body.ReadAsync(new byte[8]).AsTask());

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, failure.StatusCode);
        Assert.True(features.IsReadOnly);
        Assert.Throws<InvalidOperationException>(() => features.MaxRequestBodySize = 10);
    }

    [Fact]
    public void MaxRequestBodySize_Negative_IsRefused()
    {
        using var features = new LambdaHttpFeatures([], 1024, null);

        Assert.Throws<ArgumentOutOfRangeException>(() => features.MaxRequestBodySize = -1);
    }

    [Fact]
    public async Task ResponseBodyOverTheLimit_FailsTheWrite_AndIsFlagged()
    {
        using var features = new LambdaHttpFeatures([], 4, null);
        await features.Stream.WriteAsync(new byte[4]);

        await Assert.ThrowsAsync<IOException>(() => features.Stream.WriteAsync(new byte[1]).AsTask());

        Assert.True(features.ResponseBodyTooLarge);
        Assert.Equal(4, features.ResponseBody.Length);
    }

    [Fact]
    public void Abort_CancelsRequestAborted_AndIsToldApartFromTheDeadline()
    {
        using var application = new LambdaHttpFeatures([], 1024, null);
        using var deadline = new LambdaHttpFeatures([], 1024, null);

        ((IHttpRequestLifetimeFeature)application).Abort();
        deadline.AbortForDeadline();

        Assert.True(application.RequestAborted.IsCancellationRequested);
        Assert.True(application.AbortedByApplication);
        Assert.False(application.DeadlineExceeded);
        Assert.True(deadline.RequestAborted.IsCancellationRequested);
        Assert.True(deadline.DeadlineExceeded);
        Assert.False(deadline.AbortedByApplication);
    }

    [Fact]
    public void CanHaveBody_OnlyWithBodyBytes()
    {
        using var empty = new LambdaHttpFeatures([], 1024, null);
        using var withBody = new LambdaHttpFeatures([1], 1024, null);

        Assert.False(empty.CanHaveBody);
        Assert.True(withBody.CanHaveBody);
    }
}
