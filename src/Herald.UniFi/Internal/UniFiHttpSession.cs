using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Herald.UniFi.Internal;

/// <summary>
/// The HTTP side of a controller connection: kind detection, login, cookies and the CSRF token, and requests
/// that log in again once when the session has expired. Used by one caller at a time.
/// </summary>
internal sealed class UniFiHttpSession : IDisposable
{
    private const string CsrfHeader = "X-Csrf-Token";
    private const string UpdatedCsrfHeader = "X-Updated-Csrf-Token";
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly UniFiControllerOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly Uri _base;
    private CookieContainer _cookies = new();
    private UniFiControllerKind? _kind;

    public UniFiHttpSession(UniFiControllerOptions options, UniFiTls tls, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _kind = options.Kind;
        var text = options.Controller.GetLeftPart(UriPartial.Path);
        _base = new Uri(text.EndsWith('/') ? text : text + "/");
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.RequestTimeout,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = tls.Validate;
        _http = new HttpClient(handler) { Timeout = options.RequestTimeout };
    }

    /// <summary>The controller's kind, once configured or detected.</summary>
    public UniFiControllerKind? Kind => _kind;

    /// <summary>Whether a login succeeded and has not been invalidated since.</summary>
    public bool IsLoggedIn { get; private set; }

    /// <summary>The CSRF token sent back to the controller, if it gave one.</summary>
    public string? CsrfToken { get; private set; }

    /// <summary>Successful logins.</summary>
    public int Logins { get; private set; }

    /// <summary>The cookies of the current login.</summary>
    public CookieContainer Cookies => _cookies;

    /// <summary>The WebSocket address of the site's events.</summary>
    public Uri EventsUri
    {
        get
        {
            var path = RequireKind() == UniFiControllerKind.UniFiOs
                ? $"proxy/network/wss/s/{Uri.EscapeDataString(_options.Site)}/events"
                : $"wss/s/{Uri.EscapeDataString(_options.Site)}/events";
            var builder = new UriBuilder(new Uri(_base, path))
            {
                Scheme = _base.Scheme == Uri.UriSchemeHttp ? "ws" : "wss",
            };
            return builder.Uri;
        }
    }

    /// <summary>The address of a Network application API path such as <c>api/self</c>.</summary>
    public Uri ApiUri(string path)
        => new(_base, RequireKind() == UniFiControllerKind.UniFiOs ? "proxy/network/" + path : path);

    /// <summary>Detects the kind unless configured or already known: <c>GET /</c> answers 200 on UniFi OS, a redirect on classic controllers.</summary>
    public async Task<UniFiControllerKind> DetectKindAsync(CancellationToken cancellationToken)
    {
        if (_kind is { } known)
        {
            return known;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, _base);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        UniFiControllerKind kind;
        if (status == 200)
        {
            kind = UniFiControllerKind.UniFiOs;
        }
        else if (status is >= 300 and < 400)
        {
            kind = UniFiControllerKind.Classic;
        }
        else
        {
            throw new HttpRequestException(
                $"Could not tell the controller's kind: GET / answered HTTP {status}, neither 200 (UniFi OS) nor a redirect (classic). Check the address, or set the kind explicitly.",
                null,
                response.StatusCode);
        }

        _kind = kind;
        SourceLog.KindKnown(_logger, kind, $"detected: GET / answered {status}");
        return kind;
    }

    /// <summary>Logs in, replacing any earlier session's cookies and CSRF token.</summary>
    /// <exception cref="UniFiLoginException">The controller refused.</exception>
    public async Task LoginAsync(CancellationToken cancellationToken)
    {
        var kind = await DetectKindAsync(cancellationToken).ConfigureAwait(false);
        Invalidate();
        SourceLog.LoggingIn(_logger, _options.Username);
        var path = kind == UniFiControllerKind.UniFiOs ? "api/auth/login" : "api/login";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path)) { Content = LoginBody() };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var message = await ReadErrorMessageAsync(response, cancellationToken).ConfigureAwait(false);
        if (LoginFailure(response, status, message) is { } failure)
        {
            throw failure;
        }

        var cookies = new CookieContainer();
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var header in setCookies)
            {
                try
                {
                    cookies.SetCookies(_base, header);
                }
                catch (CookieException)
                {
                    // A cookie for another domain or path is none of this session's business.
                }
            }
        }

        var sessionCookie = kind == UniFiControllerKind.UniFiOs ? "TOKEN" : "unifises";
        if (cookies.GetCookies(_base)[sessionCookie] is null)
        {
            throw new UniFiLoginException(
                UniFiLoginFailure.Unexpected,
                $"The controller accepted the login (HTTP {status}) but set no '{sessionCookie}' session cookie; is this a {kind} controller? Set the kind explicitly if detection chose wrong.",
                status);
        }

        _cookies = cookies;
        CsrfToken = kind == UniFiControllerKind.UniFiOs
            ? HeaderValue(response, UpdatedCsrfHeader) ?? HeaderValue(response, CsrfHeader)
            : HeaderValue(response, UpdatedCsrfHeader) ?? cookies.GetCookies(_base)["csrf_token"]?.Value;
        if (CsrfToken is null)
        {
            SourceLog.NoCsrfToken(_logger);
        }

        IsLoggedIn = true;
        Logins++;
    }

    /// <summary>Forgets the session so the next use logs in again.</summary>
    public void Invalidate()
    {
        IsLoggedIn = false;
        CsrfToken = null;
        _cookies = new CookieContainer();
    }

    /// <summary>
    /// Sends a logged-in request (logging in first when needed); on 401 logs in once more and repeats it.
    /// </summary>
    /// <param name="createRequest">Creates the request; called again for the repeat.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="UniFiLoginException">A login failed, or the request was refused even after a fresh login.</exception>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var fresh = false;
            if (!IsLoggedIn)
            {
                await LoginAsync(cancellationToken).ConfigureAwait(false);
                fresh = true;
            }

            using var request = createRequest();
            AddSession(request);
            var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            TrackCsrf(response);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return response;
            }

            response.Dispose();
            Invalidate();
            if (fresh || attempt > 0)
            {
                throw new UniFiLoginException(
                    UniFiLoginFailure.LoginRequired,
                    "The controller refused a request with HTTP 401 right after a successful login; check that the account may use the Network application and the site.",
                    401);
            }

            SourceLog.SessionExpired(_logger, 401, "API request");
        }
    }

    /// <summary>Gives a WebSocket handshake the session's cookies and CSRF token.</summary>
    public void ApplyTo(ClientWebSocketOptions options)
    {
        options.Cookies = _cookies;
        if (CsrfToken is { } csrf)
        {
            options.SetRequestHeader(CsrfHeader, csrf);
        }
    }

    public void Dispose() => _http.Dispose();

    private void AddSession(HttpRequestMessage request)
    {
        var cookieHeader = _cookies.GetCookieHeader(request.RequestUri ?? _base);
        if (cookieHeader.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Cookie", cookieHeader);
        }

        if (CsrfToken is { } csrf)
        {
            request.Headers.TryAddWithoutValidation(CsrfHeader, csrf);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    private void TrackCsrf(HttpResponseMessage response)
    {
        if (HeaderValue(response, UpdatedCsrfHeader) is { } updated && updated != CsrfToken)
        {
            CsrfToken = updated;
            SourceLog.CsrfTokenUpdated(_logger);
        }
    }

    private UniFiLoginException? LoginFailure(HttpResponseMessage response, int status, string? message)
    {
        if (status == 429)
        {
            return new UniFiLoginException(
                UniFiLoginFailure.RateLimited,
                "The controller is limiting login attempts (HTTP 429); waiting before the next one. Check that no other client logs in with this account in a loop.",
                status,
                RetryAfter(response));
        }

        if (status == 499 || message == "api.err.Ubic2faTokenRequired")
        {
            return new UniFiLoginException(
                UniFiLoginFailure.TwoFactorRequired,
                $"The account '{_options.Username}' requires multi-factor authentication, which this source cannot answer. Create a local account without 2FA on the controller (a read-only admin is enough) and use it.",
                status);
        }

        if (message == "api.err.Invalid" || status is 401 or 403)
        {
            return new UniFiLoginException(
                UniFiLoginFailure.InvalidCredentials,
                $"The controller rejected the username '{_options.Username}' or its password (HTTP {status}{(message is null ? "" : ", " + message)}). Check both; they must belong to a local controller account, not a cloud/SSO one.",
                status);
        }

        if (message == "api.err.LoginRequired")
        {
            return new UniFiLoginException(
                UniFiLoginFailure.LoginRequired,
                $"The controller answered the login with api.err.LoginRequired (HTTP {status}); will try again.",
                status);
        }

        if (status is < 200 or >= 300 || message is not null)
        {
            return new UniFiLoginException(
                UniFiLoginFailure.Unexpected,
                $"The controller answered the login with HTTP {status}{(message is null ? "" : " (" + message + ")")}; is the address that of the controller (and the kind right, if set)?",
                status);
        }

        return null;
    }

    /// <summary>The <c>meta.msg</c> of an error body (<c>meta.rc</c> not <c>ok</c>), if the body is one.</summary>
    private static async Task<string?> ReadErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is > MaxErrorBodyBytes)
        {
            return null;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxErrorBodyBytes];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            try
            {
                using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("meta", out var meta)
                    && meta.ValueKind == JsonValueKind.Object
                    && meta.TryGetProperty("rc", out var rc)
                    && rc.ValueKind == JsonValueKind.String
                    && rc.GetString() != "ok")
                {
                    return meta.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String
                        ? msg.GetString()
                        : "meta.rc=" + rc.GetString();
                }
            }
            catch (JsonException)
            {
                // Not JSON (an HTML error page, say): the status tells the story.
            }

            return null;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, TimeSpan.FromHours(1).Ticks)) : null;
    }

    private static string? HeaderValue(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault(v => !string.IsNullOrEmpty(v)) : null;

    private UniFiControllerKind RequireKind()
        => _kind ?? throw new InvalidOperationException("The controller's kind is not known yet.");

    private ByteArrayContent LoginBody()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("username"u8, _options.Username);
            writer.WriteString("password"u8, _options.Password);
            writer.WriteBoolean("rememberMe"u8, true);
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
