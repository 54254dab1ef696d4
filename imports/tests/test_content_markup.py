"""Quotes, code, separators, definition and numbered lists, captions and footnotes keep their
meaning through the import: in the stored blocks and in the page's HTML."""

from wagtail.blocks import StreamValue

from blog.models import PostPage
from imports.content import convert


class NoMedia:
    def image(self, url=None, *, attachment_id=None):
        return None


def rendered(blocks):
    stream_block = PostPage._meta.get_field("body").stream_block
    stream_block.clean(StreamValue(stream_block, blocks))
    return stream_block.render(StreamValue(stream_block, blocks))


POST = """<blockquote><p>It changed my life.</p><cite>A patient</cite></blockquote>
<pre class="brush: python">def f():
    return 1 &lt; 2</pre>
[sourcecode language="r"]x <- c(1,  2)[/sourcecode]
<hr>
<dl><dt>PFS</dt><dd>Progression-free survival</dd></dl>
<ol start="4" reversed><li>four</li><li>three</li></ol>
<p><q>Yes</q>, <del>old</del> H<sub>2</sub>O.<sup id="fnref:1"><a href="#fn:1">1</a></sup></p>
<table><caption>Doses (Smith 2020)</caption><tr><td>10<sup>9</sup>/L</td></tr></table>
<div class="footnotes"><hr/><ol>
<li id="fn:1">Smith J, <em>NEJM</em>. <a href="#fnref:1">&#8617;</a></li></ol></div>
<p onclick="alert(1)">x<script>alert(2)</script><style>p{}</style></p>
"""


def test_it_keeps_quotes_code_lists_captions_and_footnotes(db):
    result = convert(POST, media=NoMedia())
    kinds = [kind for kind, _ in result.blocks]

    assert kinds[:6] == ["quote", "code", "code", "separator", "definition_list", "numbered_list"]
    assert result.blocks[0][1]["citation"] == "A patient"
    assert result.blocks[1][1] == {"language": "python", "code": "def f():\n    return 1 < 2"}
    assert result.blocks[2][1] == {"language": "r", "code": "x <- c(1,  2)"}
    assert result.blocks[5][1]["start"] == 4 and result.blocks[5][1]["reversed"] is True
    table = dict(result.blocks)["table"]
    assert table["table_caption"] == "Doses (Smith 2020)" and table["data"] == [["10⁹/L"]]
    assert kinds[-1] == "notes"
    assert result.blocks[-1][1]["notes"][0].source == "<p>Smith J, <i>NEJM</i>.</p>"

    html = rendered(result.blocks)
    assert '<blockquote class="quote__text"><p>It changed my life.</p></blockquote>' in html
    assert "<cite>A patient</cite>" in html
    assert 'class="language-python">def f():\n    return 1 &lt; 2</code></pre>' in html
    assert '<hr class="separator">' in html and "<dt" in html and "<dd" in html
    assert 'start="4" reversed' in html
    assert '“Yes”, <s>old</s> H<sub>2</sub>O.<sup><a href="#note-1">1</a></sup>' in html
    assert '<li id="note-1">' in html and "Doses (Smith 2020)</caption>" in html
    assert "alert" not in html and "onclick" not in html and "<style" not in html


def test_it_turns_wordpress_footnotes_kept_with_the_post_into_notes(db):
    text = (
        '<!-- wp:paragraph --><p>Fell<sup data-fn="ab" class="fn"><a href="#ab" id="ab-link">1'
        "</a></sup>.</p><!-- /wp:paragraph --><!-- wp:footnotes /-->"
    )
    meta = '[{"content":"Jones <strong>2021</strong><script>x</script>","id":"ab"}]'

    result = convert(text, media=NoMedia(), footnotes=meta)

    assert result.blocks[0][1].source == '<p>Fell<sup><a href="#note-1">1</a></sup>.</p>'
    assert result.blocks[1][1]["notes"][0].source == "<p>Jones <b>2021</b></p>"
    assert convert(text, media=NoMedia()).notes == [
        "Footnotes left out: their text was not in the export"
    ]
