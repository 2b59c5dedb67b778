using Mitreden.Voting.Api;
using Mitreden.Voting.Api.Data;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddVoting();

var app = builder.Build();
app.MapDefaultEndpoints();
// A consumer-only deployment (Kubernetes: voting-consumer) serves health endpoints but no API.
if (app.Services.GetRequiredService<VotingOptions>().ApiEnabled)
{
    app.MapVotingApi();
}

if (await app.MigrateDatabaseAsync<VotingDb>(args))
{
    await app.RunAsync();
}
