using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Herald.Dashboard.Tests;

/// <summary>
/// Serves this test project's <c>Pages/</c> files at <c>/test/NAME</c> from the server under test, so a test page
/// shares the server's origin (a page with no network origin may not reach loopback in Chromium).
/// </summary>
internal sealed class TestPageStartupFilter : IStartupFilter
{
    public const string Prefix = "/test/";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var path = context.Request.Path.Value ?? string.Empty;
            if (!path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                await nextMiddleware(context);
                return;
            }

            var file = Path.Combine(AppContext.BaseDirectory, "Pages", Path.GetFileName(path));
            if (!File.Exists(file))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.SendFileAsync(file);
        });
        next(app);
    };
}
