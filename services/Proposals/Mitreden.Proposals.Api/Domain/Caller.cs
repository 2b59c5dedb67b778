using System.Security.Claims;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.Proposals.Api.Domain;

internal static class Caller
{
    public static bool IsStaff(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.IsInRoleAny(MitredenRoles.Staff, MitredenRoles.Admin);

    public static Guid? OptionalUserId(this ClaimsPrincipal user) => user.TryGetUserId(out var id) ? id : null;
}
