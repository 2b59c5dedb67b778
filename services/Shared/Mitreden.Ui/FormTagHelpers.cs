using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;

namespace Mitreden.Ui;

/// <summary>Marks a field with an error as invalid and ties it to its message (aria-invalid, aria-describedby).</summary>
[HtmlTargetElement("input", Attributes = ForAttribute)]
[HtmlTargetElement("select", Attributes = ForAttribute)]
[HtmlTargetElement("textarea", Attributes = ForAttribute)]
public sealed class AriaFieldTagHelper : TagHelper
{
    private const string ForAttribute = "asp-for";

    [HtmlAttributeName(ForAttribute)]
    public ModelExpression For { get; set; } = null!;

    [HtmlAttributeNotBound, ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    /// <summary>Runs after the framework's tag helpers, which set id and name.</summary>
    public override int Order => 100;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        if (ViewContext.ModelState.TryGetValue(name, out var entry) && entry.Errors.Count > 0)
        {
            output.Attributes.SetAttribute("aria-invalid", "true");
            var id = FieldIds.ErrorId(name);
            var existing = output.Attributes.TryGetAttribute("aria-describedby", out var a) ? a.Value?.ToString() : null;
            output.Attributes.SetAttribute("aria-describedby", string.IsNullOrEmpty(existing) ? id : $"{existing} {id}");
        }
    }
}

/// <summary>&lt;field-error for="Email" /&gt;: the field's message, with the id the field points to.</summary>
[HtmlTargetElement("field-error", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FieldErrorTagHelper(IStringLocalizer<UiText> text) : TagHelper
{
    [HtmlAttributeName("for")]
    public ModelExpression For { get; set; } = null!;

    [HtmlAttributeNotBound, ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(For.Name);
        if (!ViewContext.ModelState.TryGetValue(name, out var entry) || entry.Errors.Count == 0)
        {
            output.SuppressOutput();
            return;
        }
        output.TagName = "p";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "kern-error");
        output.Attributes.SetAttribute("id", FieldIds.ErrorId(name));
        output.Content.AppendHtml("<span class=\"kern-icon kern-icon--danger kern-icon--default\" aria-hidden=\"true\"></span><span class=\"kern-body\">");
        output.Content.AppendHtml($"<span class=\"visually-hidden\">{System.Net.WebUtility.HtmlEncode(text["Error_Prefix"])} </span>");
        output.Content.Append(string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)));
        output.Content.AppendHtml("</span>");
    }
}

/// <summary>The summary at the top of a form: every message, each a link to its field; focused on load by site.js.</summary>
[HtmlTargetElement("error-summary", TagStructure = TagStructure.WithoutEndTag)]
public sealed class ErrorSummaryTagHelper(IStringLocalizer<UiText> text) : TagHelper
{
    [HtmlAttributeNotBound, ViewContext]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var errors = ViewContext.ModelState.Where(e => e.Value?.Errors.Count > 0).ToList();
        if (errors.Count == 0)
        {
            output.SuppressOutput();
            return;
        }
        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "kern-alert kern-alert--danger error-summary");
        output.Attributes.SetAttribute("role", "alert");
        output.Attributes.SetAttribute("tabindex", "-1");
        output.Attributes.SetAttribute("aria-labelledby", "error-summary-title");
        output.Attributes.SetAttribute("data-error-summary", "");
        var html = new System.Text.StringBuilder();
        html.Append("<div class=\"kern-alert__header\"><span class=\"kern-icon kern-icon--danger\" aria-hidden=\"true\"></span>")
            .Append("<h2 class=\"kern-title\" id=\"error-summary-title\">").Append(Encode(text["ErrorSummary_Title"])).Append("</h2></div>")
            .Append("<div class=\"kern-alert__body\"><ul class=\"kern-list\">");
        foreach (var (key, entry) in errors)
        {
            foreach (var error in entry!.Errors)
            {
                html.Append("<li>");
                if (key.Length > 0)
                {
                    html.Append("<a href=\"#").Append(Encode(FieldIds.FieldId(key))).Append("\">").Append(Encode(error.ErrorMessage)).Append("</a>");
                }
                else
                {
                    html.Append(Encode(error.ErrorMessage));
                }
                html.Append("</li>");
            }
        }
        html.Append("</ul></div>");
        output.Content.SetHtmlContent(html.ToString());
    }

    private static string Encode(string value) => System.Net.WebUtility.HtmlEncode(value);
}

public static class FieldIds
{
    public static string FieldId(string fullName) => TagBuilder.CreateSanitizedId(fullName, "_");

    public static string ErrorId(string fullName) => FieldId(fullName) + "-error";
}
