"""Real .docx files (and hostile look-alikes) built in memory for the document tests."""

import io
import zipfile

import docx
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from PIL import Image

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"

SCRIPT_TEXT = "<script>alert(1)</script>"
CAMERA = "SecretCam 3000"
PHOTOGRAPHER = "Jane Q. Author"


def png_with_metadata():
    """A half-transparent PNG carrying EXIF and a text chunk."""
    from PIL import PngImagePlugin

    image = Image.new("RGBA", (40, 30), (200, 30, 30, 128))
    exif = Image.Exif()
    exif[0x0110] = CAMERA
    exif[0x013B] = PHOTOGRAPHER
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", PHOTOGRAPHER)
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif.tobytes(), pnginfo=info)
    return out.getvalue()


def jpeg_with_exif():
    image = Image.new("RGB", (64, 48), (20, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"
    exif[0x0110] = CAMERA
    exif[0x013B] = PHOTOGRAPHER
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def _add_hyperlink(paragraph, url, text):
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def _add_picture(document, data, alt):
    run = document.add_paragraph().add_run()
    shape = run.add_picture(io.BytesIO(data), width=Inches(1))
    shape._inline.docPr.set("descr", alt)


def _add_footnote(document, paragraph, note_text):
    """python-docx 1.2 cannot write footnotes: add the part, its relationship and a reference."""
    footnotes = (
        f'<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>"
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{note_text}</w:t></w:r>'
        "</w:p></w:footnote>"
        "</w:footnotes>"
    ).encode()
    part = Part(
        PackURI("/word/footnotes.xml"),
        CONTENT_TYPE.WML_FOOTNOTES,
        footnotes,
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    run = OxmlElement("w:r")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run.append(reference)
    paragraph._p.append(run)


def full_docx():
    """Headings, formatting, lists, a table, two images, a footnote, links and literal markup."""
    document = docx.Document()
    document.add_heading("Living with the diagnosis", level=1)
    intro = document.add_paragraph("The first weeks are ")
    intro.add_run("hard").bold = True
    intro.add_run(" and ")
    intro.add_run("confusing").italic = True
    intro.add_run(".")
    _add_footnote(document, intro, "Survey of 212 patients, 2024.")
    document.add_heading("What helped", level=2)
    document.add_paragraph("Talking to a nurse", style="List Bullet")
    document.add_paragraph("Writing questions down", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Week"
    table.cell(0, 1).text = "Appointments"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "3"
    links = document.add_paragraph("Read ")
    _add_hyperlink(links, "https://example.org/guide", "the guide")
    links.add_run(" but not ")
    _add_hyperlink(links, "javascript:alert(document.cookie)", "this trap")
    document.add_paragraph(SCRIPT_TEXT)
    _add_picture(document, png_with_metadata(), "A red square")
    _add_picture(document, jpeg_with_exif(), "A blue photo")
    return save(document)


def simple_docx(text="Just one paragraph."):
    document = docx.Document()
    document.add_paragraph(text)
    return save(document)


def save(document):
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rewrite(data, *, add=None, drop=(), replace=None):
    """A copy of a zip with members added, dropped or their bytes replaced (old, new)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in drop:
                continue
            content = source.read(info)
            for name, (old, new) in (replace or {}).items():
                if info.filename == name:
                    content = content.replace(old, new)
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(zipfile.ZipInfo(name), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def macro_docm():
    """What Word saves as .docm: macro-enabled main part and a VBA project."""
    return rewrite(
        simple_docx(),
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 pretend VBA"},
        replace={"[Content_Types].xml": (DOCX_MAIN.encode(), DOCM_MAIN.encode())},
    )


def docx_with_vba_project_only():
    return rewrite(simple_docx(), add={"word/vbaProject.bin": b"Sub AutoOpen()"})


def truncated_docx():
    data = simple_docx()
    return data[: len(data) // 2]


def pdf_file():
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def png_file():
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "white").save(out, format="PNG")
    return out.getvalue()


def old_doc_or_encrypted():
    """OLE compound file header: an old .doc or a password-protected .docx."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000


def zip_without_document():
    return rewrite(simple_docx(), drop={"word/document.xml"})


def plain_zip():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    return out.getvalue()


def zip_bomb():
    """A real document plus 60 MB of zeros that compress to a few kilobytes."""
    return rewrite(simple_docx(), add={"word/media/padding.bin": bytes(60 * 1024 * 1024)})


def high_ratio_member():
    return rewrite(simple_docx(), add={"word/media/padding.bin": bytes(5 * 1024 * 1024)})


def many_members():
    return rewrite(simple_docx(), add={f"extra/part{n}.xml": b"<a/>" for n in range(1001)})


def path_traversal(name="../../etc/cron.d/evil"):
    return rewrite(simple_docx(), add={name: b"* * * * * root rm -rf /"})


def with_doctype():
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
        b'<w:document xmlns:w="' + W_NS.encode() + b'"><w:body><w:p><w:r><w:t>&a;</w:t>'
        b"</w:r></w:p></w:body></w:document>"
    )
    data = rewrite(simple_docx(), drop={"word/document.xml"})
    return rewrite(data, add={"word/document.xml": entity})


def with_broken_image():
    """A document whose only picture is not an image at all."""
    data = full_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = sorted(n for n in archive.namelist() if n.startswith("word/media/"))
    return rewrite(data, replace={media[0]: (b"\x89PNG", b"garbage")})


def with_huge_image():
    """A picture of 7000 x 6000 pixels: small on disk, 42 megapixels once decoded."""
    out = io.BytesIO()
    Image.new("L", (7000, 6000)).save(out, format="PNG")
    document = docx.Document()
    document.add_paragraph("A big picture follows.")
    _add_picture(document, out.getvalue(), "Huge")
    return save(document)
