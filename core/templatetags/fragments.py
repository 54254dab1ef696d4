"""`{% fragment "name" value ... %}...{% endfragment %}`: the enclosed template, kept in the
cache per name, values and page-cache generation (core/fragments.py).

Only for parts that read nothing of the request but the values named (and the site's
settings, which move the generation on): never around a CSRF token, a form bound to the
request, a nonce or anything that differs between two readers of the same URL.
"""

from django import template
from django.utils.safestring import mark_safe

from core import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name, self.parts, self.nodelist = name, parts, nodelist

    def render(self, context):
        parts = [part.resolve(context) for part in self.parts]
        request = context.get("request")
        return mark_safe(
            fragments.cached(request, self.name, parts, lambda: self.nodelist.render(context))
        )


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% fragment %} takes a quoted name, then values.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    parts = [parser.compile_filter(bit) for bit in bits[2:]]
    return FragmentNode(bits[1][1:-1], parts, nodelist)
