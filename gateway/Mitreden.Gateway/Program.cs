using Mitreden.Gateway;
using Mitreden.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseGatewayEdge();
app.MapDefaultEndpoints(apiReference: false);
app.UseRateLimiter();
app.MapGateway();

await app.RunAsync();

