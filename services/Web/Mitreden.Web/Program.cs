using Mitreden.ServiceDefaults;
using Mitreden.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddWeb();

var app = builder.Build();
// Security headers and static files come first: the stylesheet needs no session, correlation or authorization.
app.UseWebFrontDoor();
app.MapDefaultEndpoints(apiReference: false);
app.MapWeb();

await app.RunAsync();
