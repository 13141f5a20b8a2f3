namespace Recovery.Journeys.Comparison.Shop;

/// <summary>
/// The S1 texts (French, as in the sources). The library renders them from templates; a Hangfire or Wolverine user
/// writes them with string interpolation, which is what the peers' S1 does with these same constants.
/// </summary>
public static class S1Texts
{
    public const string FirstPushBody = "Votre commande n'est pas payée. Il ne vous reste que {0} minutes pour profiter de la remise !";

    public const string EmailSubject = "Offre à durée limitée bientôt expirée ! Finalisez votre commande maintenant";

    public const string ExtraOfferBody = "Payez dans les 30 minutes pour bénéficier de 10 % de remise SUPPLÉMENTAIRE !";

    public const string DeepLinkPrefix = "myshop://pay?order=";
}
