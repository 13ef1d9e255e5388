"""``{% share_form as form %}``: the file field of the call's sharing panel
(templates/meetings/_files.html), with the limits of the consultation record's files."""

from django import template

from madoguchi.consultations.documents import PURPOSE
from madoguchi.files.uploads import UploadForm

register = template.Library()


@register.simple_tag
def share_form() -> UploadForm:
    return UploadForm(purpose=PURPOSE, auto_id="meeting-files-%s")
