using FingerprintProxy.Hosting.AwsLambda;

// What every ASP.NET Core host on the Lambda hosting pays before its first response: the slim builder,
// dependency injection, the Runtime API client, one endpoint. It answers like the fake Fingerprint does
// (two cookies, a JSON body), which is what coldstart.mjs checks, without forwarding anything.
// The content root is the binary's directory, as the proxy's: the slim builder watches its content root
// for appsettings changes, and a large directory there (a working copy, say) costs milliseconds of
// file-system watches that a Lambda's /var/task does not.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddAWSLambdaHosting(builder.Configuration, _ => { });
var app = builder.Build();
app.Map("/{**path}", context =>
{
    context.Response.Headers.Append("Set-Cookie", "_iidt=abc; Path=/; Secure; HttpOnly; SameSite=None");
    context.Response.Headers.Append("Set-Cookie", "_vid_t=def; Path=/; Secure");
    context.Response.ContentType = "application/json";
    return context.Response.WriteAsync("{}");
});
app.Run();
