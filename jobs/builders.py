"""Which function builds each kind of document: `builder(*, job, progress) -> (file name, PDF bytes)`.

`progress(done, total)` may be called as often as the builder likes; jobs.services writes it at most
twice a second. Import paths, so that the apps that own the documents are imported only by the worker.
"""

from .models import DocumentJob

BUILDERS = {
    DocumentJob.Kind.DECISION_CERTIFICATES: "awards.certificates.build_decision_certificates",
    DocumentJob.Kind.HOUSEHOLD_DECISION: "awards.household_documents.build_decision_pdf",
}


class JobError(Exception):
    """A document cannot be built for a reason the user can act on; the message is shown as is."""
