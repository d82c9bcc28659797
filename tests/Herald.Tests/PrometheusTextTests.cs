using Herald.Testing;

namespace Herald.Tests;

/// <summary>The test helper's parser of the Prometheus text format accepts what the format allows and refuses the rest.</summary>
public sealed class PrometheusTextTests
{
    private const string Valid = """
        # HELP requests_total Requests "served", with a \\ and a \n newline.
        # TYPE requests_total counter
        requests_total{code="200",path="/a \"b\""} 3 1700000000000
        requests_total{code="500",path="/a"} 0
        # A plain comment.
        # TYPE open gauge
        open -2.5
        # TYPE latency_seconds histogram
        latency_seconds_bucket{le="0.1"} 1
        latency_seconds_bucket{le="1"} 3
        latency_seconds_bucket{le="+Inf"} 4
        latency_seconds_sum 7.5
        latency_seconds_count 4
        lonely NaN

        """;

    [Fact]
    public void AValidExpositionParsesIntoFamiliesWithTheirLabelsAndValues()
    {
        var text = PrometheusText.Parse(Valid.Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.Equal(["requests_total", "open", "latency_seconds", "lonely"], text.Families.Keys);
        Assert.Equal("counter", text["requests_total"].Type);
        Assert.Equal("Requests \"served\", with a \\ and a \n newline.", text["requests_total"].Help);
        Assert.Equal(3, text.Value("requests_total", ("path", "/a \"b\"")));
        Assert.Equal(1700000000000, text["requests_total"].Samples[0].Timestamp);
        Assert.Equal(3, text.Sum("requests_total"));
        Assert.Equal(-2.5, text.Value("open"));
        Assert.Equal("histogram", text["latency_seconds"].Type);
        Assert.Equal(4, text.Value("latency_seconds_count"));
        Assert.Equal("+Inf", text["latency_seconds"].Samples[2].Labels["le"]);
        Assert.Equal("untyped", text["lonely"].Type);
        Assert.True(double.IsNaN(text.Value("lonely")));
    }

    [Theory]
    [InlineData("1metric 1", "bad metric name")]
    [InlineData("metric{a=\"1\"} one", "bad value")]
    [InlineData("metric{a=1} 1", "not followed by")]
    [InlineData("metric{a=\"1\",a=\"2\"} 1", "given twice")]
    [InlineData("metric{__a=\"1\"} 1", "bad label name")]
    [InlineData("metric{a=\"1\\x\"} 1", "bad escape")]
    [InlineData("metric{a=\"1", "not closed")]
    [InlineData("metric 1\nmetric 2", "given twice")]
    [InlineData("# TYPE m counter\n# TYPE m counter", "a second TYPE")]
    [InlineData("# TYPE m thing", "unknown type")]
    [InlineData("m 1\n# TYPE m counter", "after its samples")]
    [InlineData("# TYPE m counter\nm -1", "counter m is -1")]
    [InlineData("# TYPE m counter\nm 1\nother 1\nm{a=\"x\"} 2", "not in one group")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1", "cumulative")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1", "no +Inf bucket")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1", "differs from the +Inf bucket")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1", "no _count")]
    [InlineData("metric  1", "bad value")]
    [InlineData("metric 1 soon", "bad timestamp")]
    public void ABrokenRuleIsRefusedNamingWhatIsWrong(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PrometheusText.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
