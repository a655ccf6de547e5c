"""Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE go to temporary files in a folder of ours.

PHOMINH_UPLOAD_TEMP_DIR (MEDIA_ROOT/tmp) rather than the system's temporary folder, so that the files a
killed worker leaves there are known to be ours and `manage.py clean_uploads` may remove them. The
folder is created on the first large upload, by the process that serves it (Django's own
FILE_UPLOAD_TEMP_DIR must exist before the portal starts, whoever runs it).
"""

import os
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

SUFFIX = ".upload"


class OwnFolderTemporaryUploadedFile(TemporaryUploadedFile):
    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        folder = settings.PHOMINH_UPLOAD_TEMP_DIR
        os.makedirs(folder, mode=0o700, exist_ok=True)
        _, ext = os.path.splitext(name)
        file = tempfile.NamedTemporaryFile(suffix=SUFFIX + ext[:10], dir=folder)
        # UploadedFile's constructor, not TemporaryUploadedFile's (which would open a second file).
        super(TemporaryUploadedFile, self).__init__(
            file, name, content_type, size, charset, content_type_extra
        )


class OwnFolderTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        super(TemporaryFileUploadHandler, self).new_file(*args, **kwargs)
        self.file = OwnFolderTemporaryUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )
