from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fangkong.core.forms import BootstrapForm
from fangkong.core.transfer.reader import WorkbookError, check_format
from fangkong.core.transfer.services import max_upload_bytes, too_large_message

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(BootstrapForm):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise ValidationError(too_large_message(), code="too_large")
        try:
            check_format(upload)
        except WorkbookError as exc:
            raise ValidationError(str(exc), code="format") from None
        return upload


class ExportOptionsForm(BootstrapForm):
    # Sent by the form's button: a POST without it did not come from the export page.
    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)
    unmasked = forms.BooleanField(
        label=_("Full ID numbers and phone numbers (recorded in the access log)"),
        required=False,
    )
