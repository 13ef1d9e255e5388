"""An upload handler that records every file Django starts to receive (test settings)."""

from django.core.files.uploadhandler import MemoryFileUploadHandler

STARTED: list[str] = []


class RecordingHandler(MemoryFileUploadHandler):
    def new_file(self, field_name, *args, **kwargs):
        STARTED.append(field_name)
        return super().new_file(field_name, *args, **kwargs)
