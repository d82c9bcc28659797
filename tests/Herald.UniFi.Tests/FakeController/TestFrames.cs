using System.Globalization;
using System.Text;

namespace Herald.UniFi.Tests.FakeController;

/// <summary>Frames for the fake controller to push.</summary>
internal static class TestFrames
{
    public static readonly byte[] InvalidJson = "{\"meta\":{\"rc\":\"ok\",\"message\":\"events\"},\"data\":["u8.ToArray();

    public static string Mac(int n) => string.Create(CultureInfo.InvariantCulture, $"00:00:00:00:{n / 256:x2}:{n % 256:x2}");

    /// <summary>An <c>events</c> frame with one <c>EVT_WU_Connected</c> for client <see cref="Mac"/>(<paramref name="n"/>).</summary>
    public static byte[] Connected(int n, string pad = "")
        => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""
            {"meta":{"rc":"ok","message":"events"},"data":[{"key":"EVT_WU_Connected","user":"{{Mac(n)}}","ap":"80:2a:a8:00:01:02","ssid":"SSID","hostname":"client-{{n}}","radio":"na","channel":36,"time":{{1_700_000_000_000L + (n * 1000L)}},"subsystem":"wlan"}]{{(pad.Length == 0 ? "" : ",\"pad\":\"" + pad + "\"")}}}
            """));

    /// <summary><see cref="Connected"/> padded to exactly <paramref name="totalBytes"/>.</summary>
    public static byte[] ConnectedOfSize(int n, int totalBytes)
    {
        var overhead = Connected(n, "x").Length - 1;
        var frame = Connected(n, new string('x', totalBytes - overhead));
        return frame.Length == totalBytes ? frame : throw new InvalidOperationException("Padding arithmetic is off.");
    }
}
