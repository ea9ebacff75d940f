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
    /// Where that listener accepts connections: <c>localhost</c> (the default: a Prometheus or agent on the same host),
    /// an address, or <c>*</c> for every interface (in a container, for a Prometheus elsewhere on its network).
    /// </summary>
    [Required, RegularExpression(@"^(\*|\+|[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])$", ErrorMessage = "Observability:MetricsHost must be *, a host name or an address.")]
    public string MetricsHost { get; set; } = "localhost";
}
