namespace Mitreden.Moderation.Api.Features.Screening;

/// <summary>
/// Configuration section <c>Moderation</c>. <c>Moderation:Screening</c> holds the default rules that apply where staff
/// have not stored rules of their own (globally or for a process). Word lists given in configuration replace the
/// built-in ones.
/// </summary>
public sealed class ModerationOptions
{
    public const string Section = "Moderation";

    /// <summary>After this many open reports (distinct reporters) a visible comment is held until reviewed.</summary>
    public int ReportThreshold { get; set; } = 3;

    public ScreeningOptions Screening { get; set; } = new();
}
