using System.ComponentModel.DataAnnotations;
using IdentityProvider.Developers;

namespace IdentityProvider.Pages.Developer;

/// <summary>The portal's form of a third-party app; the rules themselves are <see cref="ThirdPartyAppSpec.Problems"/>.</summary>
public sealed class AppForm
{
    [Required, StringLength(ThirdPartyAppSpec.MaxNameLength)]
    [Display(Name = "App name (shown to users when it asks for access)")]
    public string Name { get; set; } = "";

    [Display(Name = "Kind")]
    public AppKind Kind { get; set; } = AppKind.Web;

    [StringLength(ThirdPartyApp.MaxUriLength)]
    [Display(Name = "Homepage")]
    public string? Homepage { get; set; }

    [StringLength(ThirdPartyApp.MaxUriLength)]
    [Display(Name = "Privacy policy")]
    public string? PrivacyPolicy { get; set; }

    [StringLength(ThirdPartyApp.MaxUriLength)]
    [Display(Name = "Terms of service")]
    public string? TermsOfService { get; set; }

    [StringLength(ThirdPartyAppSpec.MaxUris * (ThirdPartyApp.MaxUriLength + 2))]
    [Display(Name = "Redirect URIs (one per line)")]
    public string? RedirectUris { get; set; }

    [StringLength(ThirdPartyAppSpec.MaxUris * (ThirdPartyApp.MaxUriLength + 2))]
    [Display(Name = "Post-logout redirect URIs (one per line, optional)")]
    public string? PostLogoutRedirectUris { get; set; }

    /// <summary>Empty unless posted: a form with every scope unticked posts none.</summary>
    public List<string> Scopes { get; set; } = [];

    public static AppForm From(ThirdPartyAppSpec spec) => new()
    {
        Name = spec.Name,
        Kind = spec.Kind,
        Homepage = spec.Homepage?.OriginalString,
        PrivacyPolicy = spec.PrivacyPolicy?.OriginalString,
        TermsOfService = spec.TermsOfService?.OriginalString,
        RedirectUris = string.Join('\n', spec.RedirectUris.Select(uri => uri.OriginalString)),
        PostLogoutRedirectUris = string.Join('\n', spec.PostLogoutRedirectUris.Select(uri => uri.OriginalString)),
        Scopes = [.. spec.Scopes],
    };

    /// <summary>The spec the form describes, or the fields that are not even addresses.</summary>
    public (ThirdPartyAppSpec? Spec, IReadOnlyList<SpecProblem> Unreadable) ToSpec()
    {
        var unreadable = new List<SpecProblem>();
        var spec = new ThirdPartyAppSpec
        {
            Name = Name.Trim(),
            Kind = Kind,
            Homepage = Link(nameof(Homepage), Homepage, unreadable),
            PrivacyPolicy = Link(nameof(PrivacyPolicy), PrivacyPolicy, unreadable),
            TermsOfService = Link(nameof(TermsOfService), TermsOfService, unreadable),
            RedirectUris = Lines(nameof(RedirectUris), RedirectUris, unreadable),
            PostLogoutRedirectUris = Lines(nameof(PostLogoutRedirectUris), PostLogoutRedirectUris, unreadable),
            Scopes = [.. Scopes.Prepend("openid").Where(scope => scope.Length > 0).Distinct(StringComparer.Ordinal)],
        };
        return unreadable.Count == 0 ? (spec, []) : (null, unreadable);
    }

    private static Uri? Link(string field, string? value, List<SpecProblem> unreadable)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            return uri;
        }

        unreadable.Add(new(field, $"'{value.Trim()}' is not an absolute address."));
        return null;
    }

    private static List<Uri> Lines(string field, string? value, List<SpecProblem> unreadable) =>
        [.. (value ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => Link(field, line, unreadable)).OfType<Uri>()];
}
