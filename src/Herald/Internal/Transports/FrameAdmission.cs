namespace Herald.Internal.Transports;

/// <summary>What <see cref="InboundFrameLimiter.Admit"/> decides about one client frame.</summary>
internal enum FrameAdmission
{
    /// <summary>Within the budget: handle it.</summary>
    Accepted,

    /// <summary>Over the budget: answer <c>rate_limited</c> and do nothing else.</summary>
    Refused,

    /// <summary>Over the budget again and again: close the connection with 1008.</summary>
    Abusive,
}
