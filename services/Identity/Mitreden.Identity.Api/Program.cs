using Mitreden.Identity.Api;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Account;
using Mitreden.Identity.Api.Features.Admin;
using Mitreden.Identity.Api.Features.Audit;
using Mitreden.Identity.Api.Features.Notifications;
using Mitreden.Identity.Api.Features.Residency;
using Mitreden.Identity.Api.Features.SignIn;
using Mitreden.Identity.Api.Features.Tokens;
using Mitreden.Identity.Api.Features.VotingCodes;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIdentity();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSignInPages();
app.MapTokenApi();
app.MapAuthorizationApi();
app.MapAccountApi();
app.MapLetterCodesApi();
app.MapVotingCodesApi();
app.MapUsersAdminApi();
app.MapAuditApi();
app.MapTestVotersApi();
app.MapNotificationsApi();

var serve = await app.MigrateDatabaseAsync<IdentityDb>(args);
if (!serve || app.Configuration.GetValue("Database:MigrateOnStart", false))
{
    // Clients and scopes follow configuration; written where the schema is written (the migrations job).
    await Clients.SeedAsync(app.Services, app.Configuration, CancellationToken.None);
}
if (serve)
{
    await app.RunAsync();
}
