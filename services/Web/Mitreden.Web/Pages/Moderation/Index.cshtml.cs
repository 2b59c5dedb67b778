using Microsoft.AspNetCore.Mvc;
using Mitreden.Comments.Contracts.Http;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Moderation.Contracts.Http;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Moderation;

/// <summary>
/// The moderation queue: one comment at a time in its context (item, parent, replies, reports, flags), decided with
/// plain buttons or the keyboard (a = approve, h = hide with a reason, n = next). Decisions carry the version the
/// moderator saw, so a decision made meanwhile by someone else is reported instead of overwritten.
/// </summary>
public sealed class IndexModel(ModerationApi moderation, CommentsApi comments, ProposalsApi proposals, IdentityApi identity,
    ILogger<IndexModel> logger) : WebPage
{
    public QueuePage Queue { get; private set; } = new([], 0, null, 1, 20, new(0, new Dictionary<string, int>(), new Dictionary<string, int>()));
    public IReadOnlyList<ProcessSummary> Processes { get; private set; } = [];
    public QueueEntry? Current { get; private set; }
    public IReadOnlyList<ModerationDecisionView> Decisions { get; private set; } = [];
    public ModeratorCommentView? Context { get; private set; }
    public ItemResponse? Item { get; private set; }
    public Guid? NextId { get; private set; }

    [BindProperty(SupportsGet = true, Name = "kommentar")] public Guid? CommentId { get; set; }
    [BindProperty(SupportsGet = true, Name = "prozess")] public Guid? ProcessId { get; set; }
    [BindProperty(SupportsGet = true, Name = "zustand")] public string? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "grund")] public string? Reason { get; set; }
    [BindProperty(SupportsGet = true, Name = "seite")] public int PageNumber { get; set; } = 1;

    /// <summary>The queue's address with the filters in effect; <paramref name="comment"/> opens one entry.</summary>
    public string QueueUrl(int? page = null, Guid? comment = null, string? state = null, string? reason = null, bool keepFilters = true)
    {
        var query = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null && !(value is string s && s.Length == 0))
            {
                query.Add($"{name}={Uri.EscapeDataString(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!)}");
            }
        }
        Add("kommentar", comment);
        Add("prozess", ProcessId);
        Add("zustand", keepFilters ? state ?? State : state);
        Add("grund", keepFilters ? reason ?? Reason : reason);
        Add("seite", (page ?? PageNumber) is > 1 and var p ? p : null);
        return "/moderation" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
    }

    [BindProperty] public string? HideReason { get; set; }
    [BindProperty] public string? NoteToAuthor { get; set; }
    [BindProperty] public int? BlockDays { get; set; }

    [BindProperty] public string? BlockUserReason { get; set; }
    [BindProperty] public int? BlockUserDays { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public Task<IActionResult> OnPostApproveAsync(Guid commentId, int version, CancellationToken ct) =>
        DecideAsync(commentId, new DecisionRequest(DecisionKind.Approve, version), ct);

    public Task<IActionResult> OnPostRestoreAsync(Guid commentId, int version, CancellationToken ct) =>
        DecideAsync(commentId, new DecisionRequest(DecisionKind.Restore, version), ct);

    public async Task<IActionResult> OnPostHideAsync(Guid commentId, int version, CancellationToken ct)
    {
        ModelState.Clear();
        if (HideReason is null || !ModerationApi.HideReasons.Contains(HideReason))
        {
            ModelState.AddModelError(nameof(HideReason), T["Moderation_ReasonRequired"]);
        }
        if (string.IsNullOrWhiteSpace(NoteToAuthor))
        {
            ModelState.AddModelError(nameof(NoteToAuthor), T["Moderation_NoteRequired"]);
        }
        if (BlockDays is < 0 or > 365)
        {
            ModelState.AddModelError(nameof(BlockDays), T["Moderation_BlockDaysRange"]);
        }
        if (!ModelState.IsValid)
        {
            CommentId = commentId;
            await LoadAsync(ct);
            return Page();
        }
        var block = BlockDays is > 0 ? new BlockAuthorRequest(BlockDays.Value, NoteToAuthor!.Trim()) : null;
        return await DecideAsync(commentId, new DecisionRequest(DecisionKind.Hide, version, HideReason, NoteToAuthor!.Trim(), block), ct);
    }

    /// <summary>Blocks the comment's author (Identity) without deciding on the comment; the author sees the reason.</summary>
    public async Task<IActionResult> OnPostBlockUserAsync(Guid commentId, CancellationToken ct)
    {
        ModelState.Clear();
        CommentId = commentId;
        if (string.IsNullOrWhiteSpace(BlockUserReason))
        {
            ModelState.AddModelError(nameof(BlockUserReason), T["Blocks_ReasonRequired"]);
        }
        else if (BlockUserReason.Trim().Length > 1000)
        {
            ModelState.AddModelError(nameof(BlockUserReason), T["Blocks_ReasonLength"]);
        }
        if (BlockUserDays is null or < 1 or > 365)
        {
            ModelState.AddModelError(nameof(BlockUserDays), T["Blocks_DaysRange"]);
        }
        var comment = ModelState.IsValid ? await moderation.CommentAsync(commentId, ct) : null;
        if (comment is { Ok: false })
        {
            ModelState.AddModelError("", ProblemMessage(comment.Problem!));
        }
        else if (comment?.Value?.Comment.AuthorId is null && ModelState.IsValid)
        {
            ModelState.AddModelError("", T["Blocks_NoAuthor"]);
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }
        var until = DateTimeOffset.UtcNow.AddDays(BlockUserDays!.Value);
        var result = await identity.BlockUserAsync(comment!.Value!.Comment.AuthorId!.Value, new BlockRequest(until, BlockUserReason!.Trim()), ct);
        if (!result.Ok)
        {
            AddProblem(result.Problem!, new Dictionary<string, string> { ["reason"] = nameof(BlockUserReason), ["until"] = nameof(BlockUserDays) });
            await LoadAsync(ct);
            return Page();
        }
        Flash(T["Blocks_Done", Display.DateTime(until)]);
        return Redirect(QueueUrl(comment: commentId) + "#aktuell");
    }

    private async Task<IActionResult> DecideAsync(Guid commentId, DecisionRequest request, CancellationToken ct)
    {
        var result = await moderation.DecideAsync(commentId, request, ct);
        if (!result.Ok)
        {
            ModelState.Clear();
            AddProblem(result.Problem!, new Dictionary<string, string>
            {
                ["reason"] = nameof(HideReason), ["noteToAuthor"] = nameof(NoteToAuthor), ["blockAuthor"] = nameof(BlockDays),
            });
            CommentId = commentId;
            await LoadAsync(ct);
            return Page();
        }
        Flash(T[$"Moderation_Done_{WireCode.Of(request.Decision)}"]);
        return Redirect(QueueUrl(comment: result.Value?.Next?.CommentId) + "#aktuell");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Processes = (await proposals.ProcessesAsync(ct)).Value ?? [];
        // Unknown filter values from a hand-edited address are dropped rather than sent on.
        State = State is not null && ModerationApi.QueueStates.Contains(State) ? State : null;
        Reason = Reason is not null && ModerationApi.QueueReasons.Contains(Reason) ? Reason : null;
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var queue = await moderation.QueuePageAsync(ProcessId, PageNumber, State, Reason, ct);
        if (!queue.Ok)
        {
            AddProblem(queue.Problem!, new Dictionary<string, string> { ["state"] = nameof(State), ["reason"] = nameof(Reason), ["page"] = nameof(PageNumber) });
            return;
        }
        Queue = queue.Value!;
        var id = CommentId ?? Queue.Items.FirstOrDefault()?.CommentId;
        if (id is null)
        {
            return;
        }
        var current = await moderation.CommentAsync(id.Value, ct);
        if (!current.Ok)
        {
            ModelState.AddModelError("", ProblemMessage(current.Problem!));
            return;
        }
        Current = current.Value!.Comment;
        Decisions = current.Value.Decisions;
        var index = Queue.Items.ToList().FindIndex(e => e.CommentId == Current.CommentId);
        NextId = Queue.Items.Skip(index + 1).FirstOrDefault(e => e.CommentId != Current.CommentId)?.CommentId;
        try
        {
            Context = (await comments.ModeratorViewAsync(Current.CommentId, ct)).Value;
            Item = (await proposals.ItemAsync(Current.ItemId, ct)).Value;
        }
        catch (BackendUnavailableException ex)
        {
            logger.LogWarning(ex, "Context of comment {CommentId} unavailable", Current.CommentId);
        }
    }
}
