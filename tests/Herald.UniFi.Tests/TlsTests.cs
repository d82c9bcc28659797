using Herald.UniFi.Tests.FakeController;

namespace Herald.UniFi.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task SelfSignedCertificateIsRefusedByDefaultWithAdvice()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        await using var run = SourceRun.Start(fake.Options(o => o.PinnedCertificateSha256 = null));

        var waiting = await run.WaitForStateAsync(UniFiSourceState.Reconnecting);

        Assert.Contains("certificate", waiting.Reason, StringComparison.Ordinal);
        Assert.Contains("PinnedCertificateSha256", waiting.Reason, StringComparison.Ordinal);
        Assert.Contains(TestCertificates.Sha256(fake.Certificate).Replace(":", "", StringComparison.Ordinal), waiting.Reason, StringComparison.Ordinal);
        Assert.Equal(0, fake.RootRequests);
        Assert.Equal(0, fake.LoginAttempts);
    }

    [Fact]
    public async Task AnyCertificateIsAcceptedWhenAsked()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        await using var run = SourceRun.Start(fake.Options(o =>
        {
            o.PinnedCertificateSha256 = null;
            o.AcceptAnyCertificate = true;
        }));

        var connection = await fake.NextConnectionAsync();
        await connection.SendAsync(TestFrames.Connected(1));

        await run.NextEventAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PinnedThumbprintIsAcceptedInAnyNotation(bool withColons)
    {
        await using var fake = await FakeUniFiController.StartAsync();
        var pin = TestCertificates.Sha256(fake.Certificate).ToLowerInvariant();
        await using var run = SourceRun.Start(fake.Options(o => o.PinnedCertificateSha256 = withColons ? pin : pin.Replace(":", "", StringComparison.Ordinal)));

        var connection = await fake.NextConnectionAsync();
        await connection.SendAsync(TestFrames.Connected(1));

        await run.NextEventAsync();
    }

    [Fact]
    public async Task CertificateWithAnotherThumbprintThanThePinnedOneIsRefused()
    {
        await using var fake = await FakeUniFiController.StartAsync();
        using var other = TestCertificates.Create("CN=other");
        await using var run = SourceRun.Start(fake.Options(o => o.PinnedCertificateSha256 = TestCertificates.Sha256(other)));

        var waiting = await run.WaitForStateAsync(UniFiSourceState.Reconnecting);

        Assert.Contains("pinned", waiting.Reason, StringComparison.Ordinal);
        Assert.Equal(0, fake.RootRequests);
        Assert.Equal(0, fake.LoginAttempts);

        // Not fatal: the certificate may be about to change, so the source keeps trying with back-off.
        await run.WaitForStateAsync(UniFiSourceState.Reconnecting);
    }
}
