namespace IdentityProvider.Data;

/// <summary>Which store this instance uses, decided once from configuration.</summary>
public sealed record DatabaseStore(bool IsEmbedded, string Description);
