using Mitreden.Comments.Api;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Details;
using Mitreden.Comments.Api.Features.Editing;
using Mitreden.Comments.Api.Features.MyComments;
using Mitreden.Comments.Api.Features.PersonalData;
using Mitreden.Comments.Api.Features.Posting;
using Mitreden.Comments.Api.Features.Reports;
using Mitreden.Comments.Api.Features.Threads;
using Mitreden.Comments.Api.Features.Upvotes;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddComments();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapThreadsApi();
app.MapPostingApi();
app.MapEditingApi();
app.MapUpvotesApi();
app.MapReportsApi();
app.MapDetailsApi();
app.MapMyCommentsApi();
app.MapPersonalDataApi();

if (await app.MigrateDatabaseAsync<CommentsDb>(args))
{
    await app.RunAsync();
}
