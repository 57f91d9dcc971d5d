from typing import Any

from django import template

from lesefrei.discovery.metadata import head_metadata

register = template.Library()


@register.inclusion_tag("discovery/head_tags.html", takes_context=True)
def discovery_head(context: template.Context) -> dict[str, Any]:
    return {"meta": head_metadata(context.flatten())}
