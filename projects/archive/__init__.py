"""A whole film project as one zip: export it here, import it on another filmstudio, losslessly.

Layout: manifest.json (format, app version, counts, the sha256 and size of every member),
project.json, script/current.fountain, script/revisions.json, breakdown.json, characters.json,
frames.json, animatics.json, models.json, jobs.json, and media/<path under the project folder>.
Rows link by public_id. An import checks everything before it writes anything.
"""

from __future__ import annotations

from projects.archive.export import archive_content, content_sha256, project_export_archive
from projects.archive.importing import project_import_archive
from projects.archive.layout import ARCHIVE_FORMAT, MAX_ARCHIVE_BYTES, MAX_MEMBERS, ArchiveError

__all__ = [
    "ARCHIVE_FORMAT",
    "MAX_ARCHIVE_BYTES",
    "MAX_MEMBERS",
    "ArchiveError",
    "archive_content",
    "content_sha256",
    "project_export_archive",
    "project_import_archive",
]
