from django import template

from samverkan.collaboration.forums.selectors import function_label as _function_label

register = template.Library()


@register.filter
def function_label(code: str) -> str:
    return _function_label(code)
