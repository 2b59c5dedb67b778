using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Comments.Contracts.Http;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Items;

/// <summary>
/// An item (goal, measure, scenario, idea) with its threaded comments: writing with a stance, replying, up-voting,
/// reporting with a reason, and supporting the item where a support ballot is open. Every action is a form POST.
/// </summary>
public sealed class DetailsModel(ProposalsApi proposals, CommentsApi comments, VotingApi voting, ILogger<DetailsModel> logger) : WebPage
{
    public ItemResponse Item { get; private set; } = null!;
    public ProcessResponse? Process { get; private set; }
    public ItemResponse? Parent { get; private set; }
    public ThreadPage? Thread { get; private set; }
    public bool CommentsUnavailable { get; private set; }
    public IReadOnlyList<CommentView>? ExpandedReplies { get; private set; }
    public IReadOnlyList<(BallotView Ballot, OptionView Option, bool Supported)> SupportBallots { get; private set; } = [];
    public IReadOnlyList<BallotView> OtherBallots { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "weiter")] public string? Cursor { get; set; }
    [BindProperty(SupportsGet = true, Name = "antworten")] public Guid? ExpandRepliesOf { get; set; }
    [BindProperty(SupportsGet = true, Name = "neu")] public Guid? NewCommentId { get; set; }

    /// <summary>
    /// What became of the author's new comment, from Comments' answer when the page is shown: published, waiting for
    /// approval, or held by screening (which runs in Moderation after the comment was saved, so it can come a moment later).
    /// </summary>
    public string? NewCommentMessage { get; private set; }

    [BindProperty, Required(ErrorMessage = "Comment_TextRequired"), StringLength(5000, ErrorMessage = "Comment_TextLength")]
    public string? CommentText { get; set; }

    [BindProperty]
    public string CommentStance { get; set; } = "neutral";

    public static readonly IReadOnlyList<string> CommentSorts = ["newest", "oldest", "supported"];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } failed)
        {
            return failed;
        }
        if (NewCommentId is { } newId && SignedIn && !CommentsUnavailable)
        {
            try
            {
                var posted = (await comments.CommentAsync(newId, ct)).Value?.Comment;
                NewCommentMessage = posted is { IsMine: true, Deleted: false } ? PostedMessage(posted.Status) : null;
            }
            catch (BackendUnavailableException ex)
            {
                // The page stands without the message; the comment shows its state in the thread.
                logger.LogWarning(ex, "State of new comment {CommentId} unavailable", newId);
            }
        }
        return Page();
    }

    private string? PostedMessage(CommentStatus status) => status switch
    {
        CommentStatus.Published => T["Comment_Posted"].Value,
        CommentStatus.AwaitingReview => T["Comment_AwaitingReview"].Value,
        CommentStatus.UnderReview => T["Comment_UnderReview"].Value,
        _ => null,
    };

    public async Task<IActionResult> OnPostCommentAsync(Guid id, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        if (!ModelState.IsValid)
        {
            return await LoadAsync(id, ct) ?? Page();
        }
        return await PostCommentAsync(id, CommentText!, CommentStance, null, ct);
    }

    public async Task<IActionResult> OnPostReplyAsync(Guid id, Guid parentId, string? replyText, string? replyStance, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        ModelState.Clear();
        if (string.IsNullOrWhiteSpace(replyText))
        {
            ModelState.AddModelError("", T["Comment_ReplyRequired"]);
            return await LoadAsync(id, ct) ?? Page();
        }
        return await PostCommentAsync(id, replyText, replyStance ?? "neutral", parentId, ct);
    }

    private async Task<IActionResult> PostCommentAsync(Guid id, string text, string stance, Guid? parentId, CancellationToken ct)
    {
        var result = await comments.PostAsync(id, new PostCommentRequest(text.Trim(), WireCode.Parse<Stance>(stance) ?? Stance.Neutral, parentId), ct);
        if (!result.Ok)
        {
            ModelState.Clear();
            AddProblem(result.Problem!, new Dictionary<string, string> { ["text"] = parentId is null ? nameof(CommentText) : "" });
            return await LoadAsync(id, ct) ?? Page();
        }
        var posted = result.Value;
        if (posted is null)
        {
            return Redirect($"/inhalte/{id}#kommentare");
        }
        // The message is chosen when the page is shown, from the comment's state then (see NewCommentMessage).
        return Redirect($"/inhalte/{id}?neu={posted.Id}#kommentar-{posted.Id}");
    }

    public async Task<IActionResult> OnPostReportAsync(Guid id, Guid commentId, string? reason, string? note, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        ModelState.Clear();
        if (WireCode.Parse<ReportReason>(reason) is not { } reportReason)
        {
            ModelState.AddModelError("", T["Report_ReasonRequired"]);
            return await LoadAsync(id, ct) ?? Page();
        }
        var result = await comments.ReportAsync(commentId, new ReportCommentRequest(reportReason, string.IsNullOrWhiteSpace(note) ? null : note.Trim()), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!);
            return await LoadAsync(id, ct) ?? Page();
        }
        Flash(T["Report_Done"]);
        return Redirect($"/inhalte/{id}#kommentar-{commentId}");
    }

    public async Task<IActionResult> OnPostUpvoteAsync(Guid id, Guid commentId, bool on, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        var result = await comments.UpvoteAsync(commentId, on, ct);
        if (!result.Ok)
        {
            ModelState.Clear();
            AddProblem(result.Problem!);
            return await LoadAsync(id, ct) ?? Page();
        }
        return Redirect($"/inhalte/{id}#kommentar-{commentId}");
    }

    /// <summary>The error key of a comment's edit field (the textarea has the same id).</summary>
    public static string EditField(Guid commentId) => $"edit-{commentId}";

    /// <summary>The comment whose edit form failed: it is shown open again, with the text as typed.</summary>
    public Guid? EditingCommentId { get; private set; }
    public string? EditingText { get; private set; }

    public async Task<IActionResult> OnPostEditCommentAsync(Guid id, Guid commentId, string? editText, string? editStance, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        ModelState.Clear();
        (EditingCommentId, EditingText) = (commentId, editText);
        var field = EditField(commentId);
        if (string.IsNullOrWhiteSpace(editText))
        {
            ModelState.AddModelError(field, T["Comment_TextRequired"]);
            return await LoadAsync(id, ct) ?? Page();
        }
        if (editText.Length > 5000)
        {
            ModelState.AddModelError(field, T["Comment_TextLength"]);
            return await LoadAsync(id, ct) ?? Page();
        }
        var stance = WireCode.Parse<Stance>(editStance);
        var result = await comments.EditAsync(commentId, new EditCommentRequest(editText.Trim(), stance), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, new Dictionary<string, string> { ["text"] = field, ["stance"] = field });
            return await LoadAsync(id, ct) ?? Page();
        }
        Flash(T["Comment_Saved"]);
        return Redirect($"/inhalte/{id}#kommentar-{commentId}");
    }

    public async Task<IActionResult> OnPostDeleteCommentAsync(Guid id, Guid commentId, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        var result = await comments.DeleteCommentAsync(commentId, ct);
        if (!result.Ok)
        {
            ModelState.Clear();
            AddProblem(result.Problem!);
            return await LoadAsync(id, ct) ?? Page();
        }
        Flash(T["Comment_Deleted"]);
        return Redirect($"/inhalte/{id}#kommentare");
    }

    /// <summary>Support = the item's option in an open support ballot; the voter's selection is read, changed and cast again.</summary>
    public async Task<IActionResult> OnPostSupportAsync(Guid id, Guid ballotId, Guid optionId, bool on, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        ModelState.Clear();
        var mine = await voting.MyVoteAsync(ballotId, ct);
        var selected = new HashSet<Guid>(mine.Value?.Choices?.Selected ?? []);
        if (on)
        {
            selected.Add(optionId);
        }
        else
        {
            selected.Remove(optionId);
        }
        var result = await voting.CastAsync(ballotId, new CastVoteRequest(selected.ToList(), null, null), Guid.NewGuid().ToString("N"), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!);
            return await LoadAsync(id, ct) ?? Page();
        }
        Flash(on ? T["Support_Done"] : T["Support_Withdrawn"]);
        return Redirect($"/inhalte/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var item = await proposals.ItemAsync(id, ct);
        if (!item.Ok)
        {
            return StatusCode(item.Status == 404 ? 404 : 400);
        }
        Item = item.Value!;
        Process = (await proposals.ProcessAsync(Item.ProcessId, ct)).Value;
        if (Item.ParentId is { } parentId)
        {
            Parent = (await proposals.ItemAsync(parentId, ct)).Value;
        }
        Sort = CommentSorts.Contains(Sort) ? Sort : null;
        try
        {
            var thread = await comments.ThreadAsync(id, Sort, Cursor, ct);
            Thread = thread.Value;
            CommentsUnavailable = !thread.Ok;
            if (ExpandRepliesOf is { } parent)
            {
                var replies = new List<CommentView>();
                string? cursor = null;
                do
                {
                    var page = await comments.RepliesAsync(parent, cursor, ct);
                    if (!page.Ok)
                    {
                        break;
                    }
                    replies.AddRange(page.Value!.Replies);
                    cursor = page.Value.NextCursor;
                }
                while (cursor is not null && replies.Count < 500);
                ExpandedReplies = replies;
            }
        }
        catch (BackendUnavailableException ex)
        {
            logger.LogWarning(ex, "Comments of item {ItemId} unavailable", id);
            CommentsUnavailable = true;
        }
        await LoadBallotsAsync(ct);
        return null;
    }

    private async Task LoadBallotsAsync(CancellationToken ct)
    {
        try
        {
            var now = DateTimeOffset.UtcNow;
            var ballots = (await voting.BallotsAsync(Item.ProcessId, ct)).Value ?? [];
            var withItem = ballots.Where(b => b.ProcessId == Item.ProcessId && b.Options.Any(o => o.ItemId == Item.Id)).ToList();
            var support = new List<(BallotView, OptionView, bool)>();
            foreach (var ballot in withItem.Where(b => b.Method == VotingMethod.Support && b.CurrentState(now) == BallotState.Open))
            {
                var option = ballot.Options.First(o => o.ItemId == Item.Id);
                var supported = false;
                if (SignedIn)
                {
                    var mine = await voting.MyVoteAsync(ballot.Id, ct);
                    supported = mine.Value?.Choices?.Selected?.Contains(option.OptionId) == true;
                }
                support.Add((ballot, option, supported));
            }
            SupportBallots = support;
            OtherBallots = withItem.Where(b => !support.Any(s => s.Item1.Id == b.Id)).ToList();
        }
        catch (BackendUnavailableException ex)
        {
            logger.LogWarning(ex, "Ballots for item {ItemId} unavailable", Item.Id);
        }
    }
}
