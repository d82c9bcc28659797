namespace Herald.UniFi.Tests.FakeController;

/// <summary>How the fake asks for a second factor at login.</summary>
public enum TwoFactorMode
{
    None,

    /// <summary>HTTP 499, as UniFi OS answers an MFA challenge.</summary>
    Status499,

    /// <summary>HTTP 400 with <c>api.err.Ubic2faTokenRequired</c>.</summary>
    ErrorMessage,
}
