namespace LiveContract.Core.Accounts;

public static class Roles
{
    public const string Admin = "Admin";
    public const string Advisor = "Advisor";

    /// <summary>Roles that may work with contracts: advisors, and admins who see everything.</summary>
    public const string ContractUsers = Admin + "," + Advisor;

    public static readonly IReadOnlyList<string> All = [Admin, Advisor];
}
