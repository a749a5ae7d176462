"""A story's NewsArticle for search engines, from what its page already loaded."""

from django import template

from core.templatetags.sharing import json_ld, organization, share_image_address

register = template.Library()


@register.simple_tag(takes_context=True)
def story_json_ld(context, story, image_address=""):
    request = context["request"]
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title[:110],  # search engines cut longer headlines
        "description": story.seo_description or story.standfirst,
        "url": request.build_absolute_uri(story.get_absolute_url()),
        "mainEntityOfPage": request.build_absolute_uri(story.get_absolute_url()),
        "image": [image_address or share_image_address(context)],
        "datePublished": story.published_at,
        # A story scheduled ahead was saved before it appeared: it changed no earlier than that.
        "dateModified": max(filter(None, [story.updated_at, story.published_at])),
        "author": organization(request),
        "publisher": organization(request),
    }
    return json_ld(article)
