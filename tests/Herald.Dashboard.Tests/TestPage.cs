using Microsoft.Playwright;

namespace Herald.Dashboard.Tests;

/// <summary>A page in its own browser context, recording what went wrong in it: console errors, uncaught exceptions, failed requests.</summary>
public sealed class TestPage : IAsyncDisposable
{
    private readonly List<string> _problems = [];
    private readonly Lock _lock = new();

    public TestPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Record($"console {message.Type}: {message.Text} (at {message.Location})");
            }
        };
        page.PageError += (_, error) => Record($"uncaught: {error}");
        page.RequestFailed += (_, request) => Record($"request failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Record($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Everything that went wrong so far.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_lock)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>
    /// What went wrong besides failing to reach <paramref name="server"/> (stopped, or the browser offline): the browser
    /// reports each refused connection and each failed request as a problem of its own.
    /// </summary>
    public IReadOnlyList<string> ProblemsBesidesReaching(Uri server)
        => [.. Problems.Where(p => !(p.Contains(server.Authority, StringComparison.Ordinal) && NetworkFailures.Any(f => p.Contains(f, StringComparison.Ordinal))))];

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    private static readonly string[] NetworkFailures = ["net::ERR_CONNECTION_REFUSED", "net::ERR_INTERNET_DISCONNECTED", "net::ERR_CONNECTION_RESET", "net::ERR_EMPTY_RESPONSE"];

    private void Record(string problem)
    {
        lock (_lock)
        {
            _problems.Add(problem);
        }
    }
}
