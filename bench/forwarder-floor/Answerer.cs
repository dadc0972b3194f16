using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

/// <summary>
/// Kestrel alone: each request is read whole and answered from memory with the status, headers and body
/// the upstream gave that request target the first time, so that what Kestrel itself costs per request
/// can be told from what a forwarder adds on top of it.
/// </summary>
internal sealed class Answerer(Uri upstream, HttpMessageInvoker client)
{
    private readonly ConcurrentDictionary<string, Task<Answer>> _answers = new();

    public async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        await request.Body.CopyToAsync(Stream.Null);
        var target = UpstreamTarget.Of(request);
        var answer = await _answers.GetOrAdd(request.Method + " " + target, _ => FetchAsync(request.Method, target));
        var response = context.Response;
        response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }
        response.ContentLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body);
    }

    private async Task<Answer> FetchAsync(string method, string target)
    {
        using var message = new HttpRequestMessage(new HttpMethod(method), new Uri(upstream, target));
        if (method == HttpMethods.Post)
        {
            message.Content = new ByteArrayContent([]);
        }
        using var response = await client.SendAsync(message, CancellationToken.None);
        var body = await response.Content.ReadAsByteArrayAsync();
        // NonValidated: the values as the upstream sent them, not re-serialised from their parsed form.
        var headers = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .Where(header => !header.Key.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) && !Http1.IsHopByHop(header.Key))
            .Select(header => (header.Key, new StringValues([.. header.Value])))
            .ToArray();
        return new Answer((int)response.StatusCode, headers, body);
    }

    private sealed record Answer(int Status, (string Name, StringValues Value)[] Headers, byte[] Body);
}
