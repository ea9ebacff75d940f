using System.ComponentModel.DataAnnotations;

namespace IdentityProvider.Observability;

public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>
    /// The port of the management listener that serves Prometheus' <c>/metrics</c>, apart from the provider's own
    /// address so that a proxy publishing the provider does not publish it too. Unset: no such listener.
    /// </summary>
    [Range(1, 65535)]
    public int? MetricsPort { get; set; }

    /// <summary>
    /// Where that listener accepts connections, and the host a scrape must name: <c>127.0.0.1</c> (the default: a
    /// Prometheus or agent on the same host), another address or name, or <c>*</c> for every interface and any name
    /// (in a container, for a Prometheus elsewhere on its network). The listener matches the request's host, so with
    /// a name or an address only scrapes naming exactly that work.
    /// </summary>
    [Required]
    [RegularExpression(@"^(\*|(?!0\.0\.0\.0$)[A-Za-z0-9.\-]+|\[(?!::\])[0-9A-Fa-f:.]+\])$",
        ErrorMessage = "Observability:MetricsHost must be *, a host name or an address (for every interface use *, not 0.0.0.0 or [::]).")]
    public string MetricsHost { get; set; } = "127.0.0.1";
}
