using Microsoft.EntityFrameworkCore;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Contracts.Http;

namespace Mitreden.Moderation.Api.Features.Screening;

/// <summary>The rules that look at other comments: repeated text and posting rate (in event time).</summary>
public static class HistoryScreening
{
    public static async Task<List<ScreeningFlag>> ScreenAsync(ModerationDb db, ScreeningRules rules, ModeratedComment comment,
        string normalizedText, bool checkPostingRate, CancellationToken ct)
    {
        var flags = new List<ScreeningFlag>();
        var at = comment.EditedAt ?? comment.PostedAt;
        if (at is null)
        {
            return flags;
        }

        var repeated = rules.RepeatedText;
        if (repeated.Enabled && comment.TextHash is { } hash && normalizedText.Length >= repeated.MinLength)
        {
            var from = at.Value.AddMinutes(-repeated.WindowMinutes);
            var same = db.Comments.Where(c => c.TextHash == hash && c.Id != comment.Id
                && (c.EditedAt ?? c.PostedAt) > from && (c.EditedAt ?? c.PostedAt) <= at);
            var byAnyone = await same.CountAsync(ct) + 1;
            var byAuthor = comment.AuthorId is { } author ? await same.CountAsync(c => c.AuthorId == author, ct) + 1 : 1;
            if (byAuthor > repeated.MaxRepeatsByAuthor)
            {
                flags.Add(new(ScreeningRuleNames.RepeatedTextByAuthor, repeated.Severity,
                    $"{byAuthor} times by this author within {repeated.WindowMinutes} min"));
            }
            if (byAnyone > repeated.MaxRepeatsByAnyone)
            {
                flags.Add(new(ScreeningRuleNames.RepeatedText, repeated.Severity,
                    $"{byAnyone} times within {repeated.WindowMinutes} min"));
            }
        }

        var rate = rules.PostingRate;
        if (checkPostingRate && rate.Enabled && comment.AuthorId is { } authorId && comment.PostedAt is { } postedAt)
        {
            var from = postedAt.AddMinutes(-rate.WindowMinutes);
            var recent = await db.Comments.CountAsync(c => c.AuthorId == authorId && c.Id != comment.Id
                && c.PostedAt > from && c.PostedAt <= postedAt, ct) + 1;
            if (recent > rate.MaxComments)
            {
                flags.Add(new(ScreeningRuleNames.PostingRate, rate.Severity,
                    $"{recent} comments within {rate.WindowMinutes} min (at most {rate.MaxComments})"));
            }
        }
        return flags;
    }
}
