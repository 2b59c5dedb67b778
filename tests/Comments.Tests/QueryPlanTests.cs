using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Comments.Api.Data;
using Mitreden.Comments.Api.Features.Shared;
using Mitreden.Comments.Api.Features.Threads;
using Xunit.Abstractions;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Tests;

/// <summary>
/// A thread of 10,000 comments: the first page and a deep page (after 9,000 rows) of every sort must be an
/// index scan that reads about one page of rows. Asserts on the plan of the service's own queries (EXPLAIN
/// ANALYZE), not on time; timings go to the test output.
/// </summary>
[Collection(CommentsCollection.Name)]
public sealed partial class QueryPlanTests(CommentsFixture fx, ITestOutputHelper output)
{
    private const int Comments = 10_000;
    private const int PageSize = 20;

    [Fact]
    public async Task TopLevelPage_TenThousandComments_FirstAndDeepPagesUseIndexScans()
    {
        var item = await fx.OpenItemAsync();
        var insert = Stopwatch.StartNew();
        await fx.BulkInsertAsync(item.ItemId, item.ProcessId, Comments - 1, sameTime: 2);
        // Replies in the same item, which the partial top-level indexes leave out.
        var discussed = await fx.Factory.Citizen(out _).PostCommentOkAsync(item.ItemId, "Ein viel diskutierter Beitrag.");
        await fx.BulkInsertAsync(item.ItemId, item.ProcessId, 2_000, parentId: discussed.Id);
        await fx.ExecuteSqlAsync("ANALYZE comments");
        output.WriteLine($"bulk insert of {Comments} comments and 2,000 replies + ANALYZE: {insert.ElapsedMilliseconds} ms");

        await using var scope = fx.Factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
        await db.Database.OpenConnectionAsync();
        var viewer = Guid.NewGuid();
        var client = fx.Factory.Citizen(out _);

        foreach (var (sort, index) in new[]
                 {
                     (SortOrder.Newest, "ix_comments_item_created"),
                     (SortOrder.Oldest, "ix_comments_item_created"),
                     (SortOrder.Supported, "ix_comments_item_supports"),
                 })
        {
            var all = ThreadQueries.TopLevelPage(db, item.ItemId, sort, null, null, Comments);
            var deepRow = await all.Skip(9_000 - 1).FirstAsync();
            var deep = ThreadQueries.CursorAfter(deepRow, sort);
            var expectedFirstOfDeepPage = await all.Skip(9_000).Select(c => c.Id).FirstAsync();

            foreach (var (label, cursor) in new[] { ("first page", (Cursor?)null), ("page after 9,000", deep) })
            {
                var query = ThreadQueries.TopLevelPage(db, item.ItemId, sort, cursor, viewer, PageSize + 1);
                var plan = await ExplainAsync(db, query);
                output.WriteLine($"--- {sort}, {label}:{Environment.NewLine}{plan}");

                plan.Should().Contain($"Index Scan", because: $"{sort} {label} must walk an index").And.Contain(index);
                plan.Should().NotContain("Seq Scan").And.NotContain("Bitmap").And.NotContain("Sort Key").And.NotContain("Sort Method");
                var scanned = ScannedRows().Match(plan);
                scanned.Success.Should().BeTrue();
                int.Parse(scanned.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                    .Should().BeLessThanOrEqualTo(PageSize + 1, "a keyset page reads one page of index entries, however deep");
            }

            // The same pages through the API: correctness of the deep page on its first row, timings for the output only.
            var sortName = sort.ToString().ToLowerInvariant();
            var firstUrl = $"/items/{item.ItemId}/comments?sort={sortName}&pageSize={PageSize}";
            var deepUrl = firstUrl + $"&cursor={deep.Encode()}";
            (await client.GetJsonAsync<ThreadPage>(firstUrl)).Comments.Should().HaveCount(PageSize);
            (await client.GetJsonAsync<ThreadPage>(deepUrl)).Comments[0].Id.Should().Be(expectedFirstOfDeepPage);
            output.WriteLine($"HTTP {sortName}, median of 5: first page {await MedianMsAsync(client, firstUrl):0.0} ms, " +
                $"page after 9,000 {await MedianMsAsync(client, deepUrl):0.0} ms");
        }
    }

    private static async Task<double> MedianMsAsync(HttpClient client, string url)
    {
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            (await client.GetAsync(url)).EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[2];
    }

    private static async Task<string> ExplainAsync(CommentsDb db, IQueryable<Comment> query)
    {
        await using DbCommand command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN (ANALYZE, BUFFERS) " + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join(Environment.NewLine, lines);
    }

    [GeneratedRegex(@"Index Scan.*?\(actual time=[\d.]+\.\.[\d.]+ rows=(\d+)")]
    private static partial Regex ScannedRows();
}
