using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Mitreden.Ui;

/// <summary>
/// Form controls in KERN's look (npm @kern-ux/native): every visible input, select and textarea gets its KERN class
/// (and the error variant once <see cref="AriaFieldTagHelper"/> marked it invalid), so pages write plain fields.
/// </summary>
[HtmlTargetElement("input", TagStructure = TagStructure.WithoutEndTag)]
[HtmlTargetElement("select")]
[HtmlTargetElement("textarea")]
public sealed class KernFieldTagHelper : TagHelper
{
    /// <summary>After the framework's tag helpers (type from the model) and <see cref="AriaFieldTagHelper"/>.</summary>
    public override int Order => 200;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var existing = output.Attributes.TryGetAttribute("class", out var c) ? c.Value?.ToString() ?? "" : "";
        if (existing.Contains("kern-", StringComparison.Ordinal))
        {
            return;
        }
        var type = output.Attributes.TryGetAttribute("type", out var t) ? t.Value?.ToString()?.ToLowerInvariant() : null;
        var kern = output.TagName switch
        {
            "select" => "kern-form-input__select",
            "textarea" => "kern-form-input__input",
            _ => type switch
            {
                "hidden" or "submit" or "button" or "reset" or "image" => null,
                "checkbox" => "kern-form-check__checkbox",
                "radio" => "kern-form-check__radio",
                _ => "kern-form-input__input",
            },
        };
        if (kern is null)
        {
            return;
        }
        if (output.Attributes.TryGetAttribute("aria-invalid", out var invalid) && invalid.Value?.ToString() == "true")
        {
            kern += $" {kern}--error";
        }
        output.Attributes.SetAttribute("class", existing.Length == 0 ? kern : $"{existing} {kern}");
        if (output.TagName == "select")
        {
            // KERN draws the select's arrow on this wrapper.
            output.PreElement.SetHtmlContent("<div class=\"kern-form-input__select-wrapper\">");
            output.PostElement.SetHtmlContent("</div>");
        }
    }
}

/// <summary>KERN buttons carry their text in <c>span.kern-label</c> (its colours and spacing): added where a page did not.</summary>
[HtmlTargetElement("button", Attributes = "class")]
[HtmlTargetElement("a", Attributes = "class")]
public sealed class KernButtonLabelTagHelper : TagHelper
{
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        var classes = output.Attributes.TryGetAttribute("class", out var c) ? c.Value?.ToString() ?? "" : "";
        if (!classes.Split(' ').Contains("kern-btn"))
        {
            return;
        }
        var content = output.Content.IsModified ? output.Content.GetContent() : (await output.GetChildContentAsync()).GetContent();
        if (content.Contains("kern-label", StringComparison.Ordinal))
        {
            return;
        }
        output.Content.SetHtmlContent($"<span class=\"kern-label\">{content.Trim()}</span>");
    }
}
