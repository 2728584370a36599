using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Sandbox.Tests;

public sealed class SandboxOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => new SandboxOptions().Validate();

    [Theory]
    [InlineData(nameof(SandboxOptions.Companies))]
    [InlineData(nameof(SandboxOptions.FaultRate))]
    [InlineData(nameof(SandboxOptions.RequestsPerSecond))]
    [InlineData(nameof(SandboxOptions.Port))]
    [InlineData(nameof(SandboxOptions.MaxPageSize))]
    public void Validate_InvalidValue_ThrowsNamingTheOption(string option)
    {
        var options = new SandboxOptions();
        switch (option)
        {
            case nameof(SandboxOptions.Companies): options.Companies = 0; break;
            case nameof(SandboxOptions.FaultRate): options.FaultRate = 1.5; break;
            case nameof(SandboxOptions.RequestsPerSecond): options.RequestsPerSecond = 0; break;
            case nameof(SandboxOptions.Port): options.Port = 70000; break;
            default: options.MaxPageSize = 0; break;
        }

        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(option, error.ParamName);
        Assert.Contains(option, error.Message);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SandboxServer.StartAsync(new SandboxOptions { DaysBack = -1 }));
    }

    [Fact]
    public async Task StartAsync_PortZero_BindsLoopbackBaseUrl()
    {
        await using var server = await SandboxServer.StartAsync(SandboxFixture.Options());

        Assert.Equal("127.0.0.1", server.BaseUrl.Host);
        Assert.NotEqual(0, server.BaseUrl.Port);
        Assert.EndsWith("/api/v1", server.BaseUrl.AbsolutePath);
    }
}
