"""The per-file cap of a multipart body, applied while it streams in (settings.FILE_UPLOAD_HANDLERS).

RequestSizeLimitMiddleware refuses a body whose declared length is over MAX_REQUEST_BYTES before a
byte is read; within that, one file could still be 200 MB and be written whole to a temporary file
before any check saw its size. This handler sits first in the chain and stops passing a file's data
on once MAX_FILE_BYTES of it have arrived: the rest is read from the socket (the request must be
consumed) but neither kept in memory nor written to disk. Such a file arrives as an OversizeUpload —
its name and real size, no content — so the services' size check refuses it by name, with its reason
("a file may be at most 20 MB"), and nothing cut short can ever be stored."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizeUpload(SimpleUploadedFile):
    """A file refused while it streamed in: its name, type and real size; its content is empty."""

    def __init__(self, name: str, content_type: str, size: int) -> None:
        super().__init__(name, b"", content_type)
        self.size = size


class FileSizeCapHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        # None: the later handlers (memory, then a temporary file) get nothing more of this file.
        return raw_data if self.received <= settings.MAX_FILE_BYTES else None

    def file_complete(self, file_size):
        if self.received > settings.MAX_FILE_BYTES:
            return OversizeUpload(self.file_name or "file", self.content_type or "", self.received)
        return None  # within the cap: the next handler has the whole file
