"""An upload handler that stops reading a file past the size limit.

Django's own handlers would spool a file of any size to a temporary file before the form
could refuse it. This one counts the bytes of each file as they arrive and, past the
limit, tells the parser to skip the rest of the body (``StopUpload`` without a connection
reset, so the writer still gets a page saying what was wrong).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitHandler(FileUploadHandler):
    def __init__(self, request: Any, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            setattr(self.request, "upload_too_large", True)  # noqa: B010 - read by the view
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
